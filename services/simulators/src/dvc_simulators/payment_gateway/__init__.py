"""A local stand-in for the payment gateway and the collecting bank (a separate process)."""
