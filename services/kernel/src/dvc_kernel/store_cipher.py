"""Encryption at rest of a service's event store (pyeventsourcing's cipher strategy).

Every service that keeps personal data (all but the catalog) encrypts each stored event's state
with AES-256-GCM under its own key, `<SERVICE>_CIPHER_KEY` (base64 of 32 bytes), or in
development a key generated once into its data directory (`<service>/cipher.key`). The event's
topic, originator id and version stay in clear: the store still orders and finds events.

`StoreCipher` is pyeventsourcing's AES-GCM cipher on the `cryptography` package (OpenSSL), with
two additions:
- **Key rotation.** `<SERVICE>_CIPHER_PREVIOUS_KEYS` (comma-separated, newest first) lists keys
  that still decrypt; the current key encrypts every new record. A record that fails under the
  current key is tried under each previous one, so only records written before a rotation pay
  for it (docs/operations.md: rotating a store key).
- **Older, unencrypted stores.** A record that fails authentication under every key and is a
  JSON object (every state pyeventsourcing writes without a cipher is one) is taken as written
  before encryption was turned on.
"""

from __future__ import annotations

from base64 import b64decode

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from eventsourcing.cryptography import AESCipher
from eventsourcing.utils import Environment

CIPHER_TOPIC = "dvc_kernel.store_cipher:StoreCipher"
PREVIOUS_KEYS = "CIPHER_PREVIOUS_KEYS"


class StoreCipher(AESCipher):
    def __init__(self, environment: Environment) -> None:
        super().__init__(environment)
        self.previous: list[AESGCM] = []
        for encoded in (environment.get(PREVIOUS_KEYS) or "").split(","):
            if encoded.strip():
                key = b64decode(encoded.strip())
                AESCipher.check_key_size(len(key))
                self.previous.append(AESGCM(key))

    def decrypt(self, ciphertext: bytes) -> bytes:
        try:
            return super().decrypt(ciphertext)
        except (InvalidTag, ValueError):
            nonce, tag, encrypted = ciphertext[:12], ciphertext[12:28], ciphertext[28:]
            for key in self.previous:
                try:
                    return key.decrypt(nonce, encrypted + tag, None)
                except (InvalidTag, ValueError):
                    continue
            if ciphertext[:1] == b"{" and ciphertext[-1:] == b"}":
                return ciphertext  # written before the store was encrypted
            raise
