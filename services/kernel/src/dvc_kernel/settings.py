"""Settings every service shares, read from the environment (pydantic-settings).

Each service subclasses `ServiceSettings` to name itself and its default port, e.g.
`INTAKE_PORT=8203` moves intake; `KAFKA_BOOTSTRAP_SERVERS` and `DVC_DATA_DIR` are shared.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, ClassVar

from pydantic import Field
from pydantic_settings import (
    BaseSettings,
    EnvSettingsSource,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)

from .kafka_security import KafkaSecurity
from .key_storage import Kind

REPO_ROOT = Path(__file__).resolve().parents[4]


class MissingStoreKey(RuntimeError):
    """Outside development a service refuses to start without its store's encryption key."""


class _ServicePort(EnvSettingsSource):
    """`port` from `<SERVICE>_PORT` (`INTAKE_PORT`...), a variable named after the service, so
    no static alias can name it; the service's default port when it is unset."""

    def __call__(self) -> dict[str, Any]:
        settings: Any = self.settings_cls
        name = f"{settings.service_name}_port"
        value = self.env_vars.get(name if not self.case_sensitive else name.upper())
        return {"port": value if value not in (None, "") else settings.default_port}


class ServiceSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="", extra="ignore", populate_by_name=True)

    service_name: ClassVar[str]
    default_port: ClassVar[int]
    # Whether the service's event store holds personal data, and so is encrypted at rest under
    # `<SERVICE>_CIPHER_KEY` (store_cipher.py). Only the catalog's is not.
    encrypts_store: ClassVar[bool] = True

    host: str = Field("127.0.0.1", validation_alias="DVC_HOST")
    # Development-only routes and sinks (notify's SMS sink and its /v1/dev/sms) exist only when
    # this is set: `make run` and the test stacks set it (dvc_testing.stack.DEVELOPMENT_ENV), compose and
    # Kubernetes never do.
    development: bool = Field(False, validation_alias="DVC_DEVELOPMENT")
    port: int = Field(0, ge=1, le=65535, description="HTTP port: `<SERVICE>_PORT`, e.g. `INTAKE_PORT`")
    kafka_bootstrap_servers: str = Field("127.0.0.1:9092", validation_alias="KAFKA_BOOTSTRAP_SERVERS")
    # KAFKA_SECURITY_PROTOCOL, KAFKA_SASL_*, KAFKA_SSL_CAFILE (kafka_security.py, ADR 0024).
    kafka_security: KafkaSecurity = Field(default_factory=KafkaSecurity, exclude=True)
    data_dir: Path = Field(REPO_ROOT / "var" / "data", validation_alias="DVC_DATA_DIR")
    persistence_module: str = Field("eventsourcing.sqlite", validation_alias="PERSISTENCE_MODULE")
    postgres_dbname: str = Field("dvc", validation_alias="POSTGRES_DBNAME")
    postgres_host: str = Field("127.0.0.1", validation_alias="POSTGRES_HOST")
    postgres_port: int = Field(5432, validation_alias="POSTGRES_PORT")
    postgres_user: str = Field("dvc", validation_alias="POSTGRES_USER")
    postgres_password: str = Field("dvc", validation_alias="POSTGRES_PASSWORD")
    # FULL fsyncs every commit; NORMAL (WAL) survives a killed process, not a power loss (ADR 0018).
    sqlite_synchronous: str = Field("NORMAL", validation_alias="SQLITE_SYNCHRONOUS")
    relay_batch_size: int = Field(1000, ge=1, validation_alias="RELAY_BATCH_SIZE")
    # With nothing to relay, the relay waits for a commit signal and, failing one, looks again
    # after this long (a safety net: every commit signals it).
    relay_idle_seconds: float = Field(30.0, gt=0, validation_alias="RELAY_IDLE_SECONDS")
    # Under load, events gather this long between two sends (ADR 0018): fewer, fuller Kafka
    # requests and consumer batches, for at most this much latency per hop.
    relay_linger_seconds: float = Field(0.04, ge=0, validation_alias="RELAY_LINGER_SECONDS")
    instance_id: str = Field("0", validation_alias="DVC_INSTANCE_ID")
    # Data keys of the personal fields sealed on the topics (ADR 0021): a directory every
    # service reads (default: `personal-keys` in the shared data directory).
    personal_keys_directory: Path | None = Field(None, validation_alias="DVC_PERSONAL_KEYS_DIR")
    # How they are kept there (key_storage.py): one SQLite ring on one host; one file per
    # subject on a volume shared between hosts (NFS, CephFS), where SQLite's locks do not hold.
    personal_keys_store: Kind = Field("ring", validation_alias="DVC_PERSONAL_KEYS_STORE")
    # In production the data keys are kept wrapped by a KMS (kms_keys.py): its transit API.
    personal_keys_kms_url: str | None = Field(None, validation_alias="DVC_PERSONAL_KEYS_KMS_URL")
    personal_keys_kms_key: str = Field("dvc-personal-data", validation_alias="DVC_PERSONAL_KEYS_KMS_KEY")
    personal_keys_kms_token_file: Path | None = Field(
        None, validation_alias="DVC_PERSONAL_KEYS_KMS_TOKEN_FILE"
    )
    identity_url: str | None = Field(None, validation_alias="IDENTITY_URL")
    token_issuer: str = Field(
        "https://dichvucong.bocongan.gov.vn/identity", validation_alias="IDENTITY_ISSUER"
    )
    token_audience: str = Field("dvc", validation_alias="IDENTITY_AUDIENCE")
    identity_port: int = Field(8101, ge=1, le=65535, validation_alias="IDENTITY_PORT")

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (
            init_settings,
            env_settings,
            _ServicePort(settings_cls),
            dotenv_settings,
            file_secret_settings,
        )

    @property
    def identity_base_url(self) -> str:
        """Where identity serves its JWKS: `IDENTITY_URL`, else this host at `IDENTITY_PORT`."""
        return self.identity_url or f"http://127.0.0.1:{self.identity_port}"

    @property
    def personal_keys_dir(self) -> Path:
        return self.personal_keys_directory or self.data_dir / "personal-keys"

    @property
    def service_dir(self) -> Path:
        path = self.data_dir / self.service_name
        path.mkdir(parents=True, exist_ok=True)
        return path

    @property
    def store_calls_inline(self) -> bool:
        """Whether store calls run on the event loop (threads.run_store_calls_inline)."""
        return self.persistence_module != "eventsourcing.postgres" and self.sqlite_synchronous.upper() in (
            "OFF",
            "NORMAL",
        )

    def postgres_conninfo(self) -> dict[str, Any]:
        return {
            "host": self.postgres_host,
            "port": self.postgres_port,
            "user": self.postgres_user,
            "password": self.postgres_password,
            "dbname": self.postgres_dbname,
        }

    def store_cipher_key(self) -> str:
        """`<SERVICE>_CIPHER_KEY` (base64 of 32 random bytes); with SQLite (a single node) or in
        development, else one generated once into the service's data directory."""
        from .local_secrets import read_or_create
        from .store_cipher import StoreCipher

        name = f"{self.service_name.upper()}_CIPHER_KEY"
        configured = os.environ.get(name, "").strip()
        if configured:
            return configured
        if self.persistence_module == "eventsourcing.postgres" and not self.development:
            # Instances sharing a PostgreSQL store would each generate their own key, and a key
            # kept beside the data protects little: production sets it.
            raise MissingStoreKey(f"{name} must be set (base64 of 32 random bytes) with PostgreSQL")
        return read_or_create(self.service_dir / "cipher.key", lambda: StoreCipher.create_key(32))

    def eventstore_env(self) -> dict[str, str]:
        """Environment for the service's eventsourcing Application (its own event store),
        encrypted at rest when the service keeps personal data."""
        env = self._persistence_env()
        if self.encrypts_store:
            from .store_cipher import CIPHER_TOPIC

            env.update({"CIPHER_TOPIC": CIPHER_TOPIC, "CIPHER_KEY": self.store_cipher_key()})
            previous = os.environ.get(f"{self.service_name.upper()}_CIPHER_PREVIOUS_KEYS", "").strip()
            if previous:  # still decrypt what was written before the key was rotated
                env["CIPHER_PREVIOUS_KEYS"] = previous
        return env

    def _persistence_env(self) -> dict[str, str]:
        if self.persistence_module == "eventsourcing.postgres":
            return {
                "PERSISTENCE_MODULE": "eventsourcing.postgres",
                "POSTGRES_DBNAME": self.postgres_dbname,
                "POSTGRES_HOST": self.postgres_host,
                "POSTGRES_PORT": str(self.postgres_port),
                "POSTGRES_USER": self.postgres_user,
                "POSTGRES_PASSWORD": self.postgres_password,
                "POSTGRES_POOL_SIZE": "5",
            }
        return {
            "PERSISTENCE_MODULE": "eventsourcing.sqlite",
            "SQLITE_DBNAME": str(self.service_dir / "events.sqlite3"),
            "SQLITE_LOCK_TIMEOUT": "30",
            "SQLITE_SYNCHRONOUS": self.sqlite_synchronous,
        }
