"""A brand-name SMS provider's HTTP API: the protocol both sides speak, and its simulator."""
