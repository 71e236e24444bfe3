"""Personal data on the topics: sealed per field, under a data key per data subject, so that
erasing the key makes every copy unreadable (crypto-shredding). ADR 0021.

A contract lists its personal fields (`EventPayload.personal`). When an envelope is built, each
such field's JSON value is encrypted with AES-256-GCM under the data key of the envelope's
subject (the dossier, the lodging notice) and replaced by the string
``pd1:<base64url(nonce | ciphertext | tag)>``; the hash chain covers that ciphertext. When a
consumer parses the payload (`dvc_contracts.registry.payload_of`), the fields are opened again
through the same key provider.

The nonce is synthetic: HMAC-SHA256 under the data key of (field, plaintext), cut to 96 bits.
Sealing is therefore deterministic (the relay and the auditors' endpoint, rebuilding an
envelope from the store, get the same bytes and the same hash) and a nonce only repeats for the
very same plaintext of the same field under the same key, which reveals that they are equal and
nothing more. The subject and field name are authenticated (associated data): a sealed value
cannot be moved to another dossier or field.

Keys come from a `KeyProvider`: `LocalKeys` in development and single-host deployments (in a
directory every service shares, `dvc_kernel.key_storage`); a production deployment with several
hosts keeps them wrapped by its KMS (`dvc_kernel.kms_keys.KmsWrappedKeys`).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
from pathlib import Path
from typing import Any, Protocol

import orjson
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from dvc_contracts import EventPayload
from dvc_contracts.registry import EVENT_TYPES, PersonalDataErased, install_opener
from dvc_contracts.timeline import Step

from .key_storage import ERASED, KeyRing, KeyStorage

PREFIX = "pd1:"


class KeyProvider(Protocol):
    def data_key(self, key_id: str, *, create: bool) -> bytes:
        """The 32-byte data key `key_id`; made first when `create` and none exists. Raises
        `PersonalDataErased` for an erased key, and for a missing one when not `create`."""
        ...

    def erase(self, key_id: str) -> None:
        """Destroy the key for good: what was sealed under it can never be read again."""
        ...


class LocalKeys:
    """Data keys kept as they are by a `KeyStorage` (development and single-host deployments;
    with several hosts, `dvc_kernel.kms_keys.KmsWrappedKeys`). Keys are kept in memory once
    read: a process learns of an erasure when it restarts (an erasure is an end-of-retention
    act, not an emergency)."""

    def __init__(self, storage: KeyStorage) -> None:
        self.storage = storage
        self._keys: dict[str, bytes] = {}

    def data_key(self, key_id: str, *, create: bool) -> bytes:
        key = self._keys.get(key_id)
        if key is not None:
            return key
        kept = self.storage.get(key_id)  # refuses an id that is not letters, digits and dashes
        if kept is None:
            if not create:
                raise PersonalDataErased(f"no data key {key_id}")
            # Services racing to make the key agree on the first one kept.
            kept = self.storage.add(key_id, self._kept(secrets.token_bytes(32)))
        if kept == ERASED:
            raise PersonalDataErased(f"data key {key_id} was erased")
        key = self._key_of(kept)
        self._keys[key_id] = key
        return key

    def _kept(self, key: bytes) -> str:
        """What the storage keeps for a new `key`: here the key itself (base64)."""
        return base64.b64encode(key).decode()

    def _key_of(self, kept: str) -> bytes:
        return base64.b64decode(kept)

    def erase(self, key_id: str) -> None:
        self.storage.erase(key_id)
        self._keys.pop(key_id, None)


def _aad(subject: str, field: str) -> bytes:
    return f"{subject}/{field}".encode()


def seal_value(key: bytes, subject: str, field: str, value: Any) -> str:
    plain = orjson.dumps(value, option=orjson.OPT_SORT_KEYS)
    nonce = hmac.new(key, field.encode() + b"\0" + plain, hashlib.sha256).digest()[:12]
    sealed = AESGCM(key).encrypt(nonce, plain, _aad(subject, field))
    return PREFIX + base64.urlsafe_b64encode(nonce + sealed).decode().rstrip("=")


def open_value(key: bytes, subject: str, field: str, sealed: str) -> Any:
    raw = base64.urlsafe_b64decode(sealed[len(PREFIX) :] + "=" * (-len(sealed) % 4))
    return orjson.loads(AESGCM(key).decrypt(raw[:12], raw[12:], _aad(subject, field)))


class PersonalData:
    """Seals and opens the personal fields of payloads with one key provider."""

    def __init__(self, keys: KeyProvider) -> None:
        self.keys = keys

    def seal(self, payload: EventPayload, subject: str) -> dict[str, Any]:
        """The payload as JSON data, its personal fields sealed under the subject's key."""
        data: dict[str, Any] = payload.model_dump(mode="json")
        fields = [f for f in type(payload).personal if data.get(f) is not None]
        if fields:
            key = self.keys.data_key(subject, create=True)
            for field in fields:
                data[field] = seal_value(key, subject, field, data[field])
        return data

    def open(self, cls: type[EventPayload], data: dict[str, Any], subject: str) -> dict[str, Any]:
        sealed = [f for f in cls.personal if isinstance(data.get(f), str) and data[f].startswith(PREFIX)]
        if not sealed:
            return data
        key = self.keys.data_key(subject, create=False)
        opened = dict(data)
        for field in sealed:
            opened[field] = open_value(key, subject, field, data[field])
        return opened


def default_directory() -> Path:
    """`DVC_PERSONAL_KEYS_DIR`, else `personal-keys` in the data directory all services share."""
    from .settings import REPO_ROOT

    configured = os.environ.get("DVC_PERSONAL_KEYS_DIR", "").strip()
    if configured:
        return Path(configured)
    return Path(os.environ.get("DVC_DATA_DIR", str(REPO_ROOT / "var" / "data"))) / "personal-keys"


_current: PersonalData | None = None


def current() -> PersonalData:
    global _current
    if _current is None:
        _current = PersonalData(LocalKeys(KeyRing(default_directory())))
    return _current


def configure(keys: KeyProvider) -> PersonalData:
    """Use `keys` in this process from now on (a service at start, a test)."""
    global _current
    _current = PersonalData(keys)
    return _current


def _open(cls: type[EventPayload], data: dict[str, Any], subject: str) -> dict[str, Any]:
    return current().open(cls, data, subject)


install_opener(_open)


def opened_step(step: Step, subject: str) -> Step:
    """A timeline step as a reader allowed to see personal data sees it: the fields its event
    carried sealed, opened with this process's keys (the step as it is, once erased)."""
    cls = EVENT_TYPES.get(step.event_type)
    if cls is None or not cls.personal:
        return step
    try:
        details = current().open(cls, step.details, subject)
    except PersonalDataErased:
        return step  # erased: the sealed values are all there is
    return step.model_copy(update={"details": details})
