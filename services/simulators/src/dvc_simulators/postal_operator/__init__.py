"""A local stand-in for the postal operator, speaking its protocol (`dvc_delivery.postal.protocol`)."""
