"""The postal operator: its protocol, our client of it (the adapter) and the shared secret."""
