"""Test support shared by every service: a real Kafka broker for the session."""

from dvc_testing.kafka_broker import TestBroker, acquire_broker, container_engine_answers

__all__ = ["TestBroker", "acquire_broker", "container_engine_answers"]
