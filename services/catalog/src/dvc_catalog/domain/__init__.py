"""The catalog's domain: procedures, their versions, forms, fees, deadlines and police units.

Pure Python and pydantic models; no file, network or clock access happens here.
"""
