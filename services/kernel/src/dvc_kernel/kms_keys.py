"""Data keys of personal fields kept wrapped by a KMS (ADR 0021, production).

`LocalKeys` keeps each data subject's key in clear in a shared directory: fine on one host,
not for a national deployment. `KmsWrappedKeys` makes the key here, has the KMS wrap it under a
master key that never leaves the KMS, and keeps only the wrapped key in the shared directory
(with several hosts, as files `<id[:2]>/<id>.wrapped`; worth nothing without the KMS). Reading
a key asks the KMS to unwrap it once per process. Erasing writes a tombstone over the wrapped
key: no copy of the data key is left to unwrap (backups of the directory must be pruned the same
way, or the master key rotated and old versions destroyed in the KMS).

`VaultTransit` speaks the transit secrets engine API of HashiCorp Vault and OpenBao
(`POST /v1/<mount>/encrypt/<key>`, `/decrypt/<key>`, `X-Vault-Token`); another KMS implements
`Kms` (wrap, unwrap). The simulator for development and tests: `dvc_simulators.kms`.
"""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Protocol

import httpx

from .key_storage import KeyStorage, Kind, key_storage
from .personal_data import KeyProvider, LocalKeys


class Kms(Protocol):
    def wrap(self, plaintext: bytes) -> str:
        """`plaintext` encrypted under the KMS's master key, as the KMS writes it."""
        ...

    def unwrap(self, wrapped: str) -> bytes: ...


class KmsUnavailable(RuntimeError):
    """The KMS did not answer as its API says: personal fields cannot be sealed or opened."""


class VaultTransit:
    def __init__(
        self, url: str, token: str, key_name: str, mount: str = "transit", client: httpx.Client | None = None
    ) -> None:
        self.base = f"{url.rstrip('/')}/v1/{mount}"
        self.key_name = key_name
        self.client = client or httpx.Client(timeout=5.0)
        self.headers = {"X-Vault-Token": token}

    def _post(self, operation: str, body: dict[str, str]) -> dict[str, str]:
        try:
            answer = self.client.post(
                f"{self.base}/{operation}/{self.key_name}", json=body, headers=self.headers
            )
            answer.raise_for_status()
            data: dict[str, str] = answer.json()["data"]
            return data
        except (httpx.HTTPError, KeyError, ValueError) as error:
            raise KmsUnavailable(f"KMS {operation} failed: {error}") from error

    def wrap(self, plaintext: bytes) -> str:
        return self._post("encrypt", {"plaintext": base64.b64encode(plaintext).decode()})["ciphertext"]

    def unwrap(self, wrapped: str) -> bytes:
        return base64.b64decode(self._post("decrypt", {"ciphertext": wrapped})["plaintext"])


class KmsWrappedKeys(LocalKeys):
    """A `KeyProvider`: data keys made here, stored wrapped by the KMS, unwrapped once a process."""

    suffix = ".wrapped"  # as files: a directory of them opens nothing without the KMS

    def __init__(self, storage: KeyStorage, kms: Kms) -> None:
        super().__init__(storage)
        self.kms = kms

    def _kept(self, key: bytes) -> str:
        return self.kms.wrap(key)  # only the wrapped key is written

    def _key_of(self, kept: str) -> bytes:
        return self.kms.unwrap(kept)


def key_provider(
    directory: Path, kms_url: str | None, token_file: Path | None, key_name: str, kind: Kind = "ring"
) -> KeyProvider:
    """Where the data keys of personal fields come from: the KMS when one is configured
    (`DVC_PERSONAL_KEYS_KMS_URL`, the token from `DVC_PERSONAL_KEYS_KMS_TOKEN_FILE`), else the
    shared directory alone; kept there as `kind` says (`DVC_PERSONAL_KEYS_STORE`)."""
    if not kms_url:
        return LocalKeys(key_storage(directory, kind))
    if token_file is None:
        raise ValueError("DVC_PERSONAL_KEYS_KMS_TOKEN_FILE must be set with DVC_PERSONAL_KEYS_KMS_URL")
    token = token_file.read_text(encoding="utf-8").strip()
    storage = key_storage(directory, kind, KmsWrappedKeys.suffix)
    return KmsWrappedKeys(storage, VaultTransit(kms_url, token, key_name))
