"""Pure business rules of the processing service: no I/O beyond packaged data files."""
