"""The signature our partners' webhooks carry: the hex HMAC-SHA256 of the raw body under the key
shared with the partner (the postal operator's tracking updates, the SMS provider's delivery
reports). Each protocol names its own header; the bytes signed and the digest are the same."""

from __future__ import annotations

import hashlib
import hmac


def sign(body: bytes, key: str) -> str:
    return hmac.new(key.encode(), body, hashlib.sha256).hexdigest()


def signature_matches(body: bytes, presented: str | None, key: str) -> bool:
    """Whether the presented header value is the body's signature (case and surrounding spaces
    aside); no header or no key never matches."""
    if not presented or not key:
        return False
    return hmac.compare_digest(sign(body, key), presented.strip().lower())
