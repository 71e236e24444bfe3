"""A local stand-in for the KMS: the transit secrets engine API of Vault/OpenBao, enough of it."""
