"""The production SMS gateway: a brand-name SMS provider reached over HTTP (adapters/sms_protocol.py).

`send` hands one SMS to the provider under our message id as client reference (the provider
sends each reference once, so a retried send after a lost answer is not a second SMS) and
returns the provider's id. A refusal or an outage raises, and the dispatcher retries with
back-off. Delivery reports arrive later on notify's receipt endpoint (api/sms_receipts.py),
which hands them to the same receipt handler the development sink calls.
"""

from __future__ import annotations

import httpx

from . import sms_protocol as protocol


class SmsProviderError(RuntimeError):
    """The provider did not take the SMS; the text says why (never the message's text)."""


class BrandnameSmsClient:
    def __init__(
        self,
        base_url: str,
        api_key: str,
        brandname: str,
        callback_url: str,
        *,
        timeout: float = 10.0,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.brandname = brandname
        self.callback_url = callback_url
        self._client = httpx.AsyncClient(
            base_url=base_url.rstrip("/"),
            headers={"Authorization": f"Bearer {api_key}"},
            timeout=timeout,
            transport=transport,
        )

    async def send(self, message_id: str, phone: str, text: str) -> str:
        body = {
            "brandname": self.brandname,
            "phone": phone,
            "text": text,
            "client_ref": message_id,
            "callback_url": self.callback_url,
        }
        answer = await self._client.post(protocol.SEND_PATH, json=body)
        if answer.status_code != 202:
            # The provider's answer may quote the request: only its status goes into the error.
            raise SmsProviderError(f"SMS provider answered HTTP {answer.status_code} for {message_id}")
        sms_id = answer.json().get("sms_id")
        if not isinstance(sms_id, str) or not sms_id:
            raise SmsProviderError(f"SMS provider gave no id for {message_id}")
        return sms_id

    async def close(self) -> None:
        await self._client.aclose()
