"""Encryption at rest of a service's event store (pyeventsourcing's cipher strategy).

Every service that keeps personal data (all but the catalog) encrypts each stored event's state
with AES-256-GCM under its own key, `<SERVICE>_CIPHER_KEY` (base64 of 32 bytes), or in
development a key generated once into its data directory (`<service>/cipher.key`). The event's
topic, originator id and version stay in clear: the store still orders and finds events.

`StoreCipher` is pyeventsourcing's AES-GCM cipher on the `cryptography` package (OpenSSL), with
one addition: a store written before encryption was turned on still reads. A record that fails
authentication and is a JSON object (every state pyeventsourcing writes without a cipher is
one) is taken as such an older, unencrypted record; every new record is written encrypted.
"""

from __future__ import annotations

from cryptography.exceptions import InvalidTag
from eventsourcing.cryptography import AESCipher

CIPHER_TOPIC = "dvc_kernel.store_cipher:StoreCipher"


class StoreCipher(AESCipher):
    def decrypt(self, ciphertext: bytes) -> bytes:
        try:
            return super().decrypt(ciphertext)
        except (InvalidTag, ValueError):
            if ciphertext[:1] == b"{" and ciphertext[-1:] == b"}":
                return ciphertext  # written before the store was encrypted
            raise
