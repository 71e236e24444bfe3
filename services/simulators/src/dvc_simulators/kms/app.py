"""The transit API subset the platform uses: encrypt, decrypt and rotate a named key.

Keys are versioned like Vault's: a ciphertext is `vault:v<N>:<base64(nonce | AES-GCM output)>`,
encrypt uses the newest version, decrypt any version still kept. The token is checked like
`X-Vault-Token`. Keys live in memory, or in a JSON file when one is given (development).
"""

from __future__ import annotations

import base64
import json
import secrets
from pathlib import Path
from typing import Annotated

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from fastapi import FastAPI, Header, HTTPException
from pydantic import BaseModel

from dvc_kernel.local_secrets import secret_matches

Token = Annotated[str | None, Header(alias="X-Vault-Token")]


class EncryptIn(BaseModel):
    plaintext: str


class DecryptIn(BaseModel):
    ciphertext: str


class Keys:
    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        self.versions: dict[str, list[str]] = {}
        if path is not None and path.exists():
            self.versions = json.loads(path.read_text(encoding="utf-8"))

    def _save(self) -> None:
        if self.path is not None:
            self.path.write_text(json.dumps(self.versions), encoding="utf-8")

    def rotate(self, name: str) -> int:
        self.versions.setdefault(name, []).append(base64.b64encode(secrets.token_bytes(32)).decode())
        self._save()
        return len(self.versions[name])

    def key(self, name: str, version: int | None = None) -> tuple[int, bytes]:
        if name not in self.versions:
            self.rotate(name)  # Vault would need the key created first; a simulator makes it
        kept = self.versions[name]
        number = version or len(kept)
        if not 1 <= number <= len(kept):
            raise HTTPException(400, {"errors": [f"key version {number} not found"]})
        return number, base64.b64decode(kept[number - 1])


def create_app(token: str, keys: Keys | None = None) -> FastAPI:
    app = FastAPI(title="KMS simulator (transit)")
    keys = keys or Keys()

    def check(presented: str | None) -> None:
        if not secret_matches(presented, token):
            raise HTTPException(403, {"errors": ["permission denied"]})

    @app.post("/v1/transit/encrypt/{name}")
    def encrypt(name: str, body: EncryptIn, x_vault_token: Token = None) -> dict[str, dict[str, str]]:
        check(x_vault_token)
        version, key = keys.key(name)
        nonce = secrets.token_bytes(12)
        sealed = AESGCM(key).encrypt(nonce, base64.b64decode(body.plaintext), name.encode())
        return {"data": {"ciphertext": f"vault:v{version}:{base64.b64encode(nonce + sealed).decode()}"}}

    @app.post("/v1/transit/decrypt/{name}")
    def decrypt(name: str, body: DecryptIn, x_vault_token: Token = None) -> dict[str, dict[str, str]]:
        check(x_vault_token)
        try:
            _, tag, data = body.ciphertext.split(":", 2)
            _, key = keys.key(name, int(tag.removeprefix("v")))
            raw = base64.b64decode(data)
            plain = AESGCM(key).decrypt(raw[:12], raw[12:], name.encode())
        except (ValueError, InvalidTag):
            raise HTTPException(400, {"errors": ["invalid ciphertext"]}) from None
        return {"data": {"plaintext": base64.b64encode(plain).decode()}}

    @app.post("/v1/transit/keys/{name}/rotate", status_code=204)
    def rotate(name: str, x_vault_token: Token = None) -> None:
        check(x_vault_token)
        keys.rotate(name)

    return app
