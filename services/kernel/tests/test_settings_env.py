"""Settings come from the environment through pydantic-settings: each one is listed on a
settings class and a wrong value is refused, naming the setting, before anything starts."""

from __future__ import annotations

from typing import ClassVar

import pytest
from pydantic import ValidationError

from dvc_kernel.kafka_topics import TopicSettings
from dvc_kernel.settings import ServiceSettings


class ShopSettings(ServiceSettings):
    service_name: ClassVar[str] = "shop"
    default_port: ClassVar[int] = 8199


def test_a_services_port_is_its_own_variable_or_its_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SHOP_PORT", raising=False)
    assert ShopSettings().port == 8199
    monkeypatch.setenv("SHOP_PORT", "8299")
    assert ShopSettings().port == 8299
    assert "port" in ShopSettings.model_fields


@pytest.mark.parametrize("value", ["abc", "0", "70000"])
def test_a_wrong_port_is_refused_naming_it(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("SHOP_PORT", value)
    with pytest.raises(ValidationError, match=r"port\n"):
        ShopSettings()


def test_identity_is_found_at_its_port_unless_its_url_is_given(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("IDENTITY_URL", raising=False)
    monkeypatch.setenv("IDENTITY_PORT", "9101")
    assert ShopSettings().identity_base_url == "http://127.0.0.1:9101"
    monkeypatch.setenv("IDENTITY_URL", "https://identity.internal")
    assert ShopSettings().identity_base_url == "https://identity.internal"


def test_topic_settings_are_validated(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KAFKA_TOPIC_PARTITIONS", "6")
    monkeypatch.setenv("KAFKA_REPLICATION_FACTOR", "3")
    assert (TopicSettings().partitions, TopicSettings().replication) == (6, 3)
    monkeypatch.setenv("KAFKA_TOPIC_PARTITIONS", "0")
    with pytest.raises(ValidationError, match="KAFKA_TOPIC_PARTITIONS"):
        TopicSettings()
