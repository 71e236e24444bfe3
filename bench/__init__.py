"""`make bench`: the platform measured on this machine against a real Kafka broker (bench/README.md)."""
