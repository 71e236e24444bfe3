"""A brand-name SMS provider simulator for tests and the benchmark (sms_provider.protocol)."""
