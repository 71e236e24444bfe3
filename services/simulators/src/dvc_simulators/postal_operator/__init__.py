"""A local postal operator speaking its protocol (`dvc_delivery.adapters.postal_protocol`)."""
