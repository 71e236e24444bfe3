"""The production SMS gateway: a brand-name SMS provider reached over HTTP (adapters/sms_protocol.py).

`send` hands one SMS to the provider under our message id as client reference (the provider
sends each reference once, so a retried send after a lost answer is not a second SMS) and
returns the provider's id. A refusal or an outage raises, and the dispatcher retries with
back-off. Delivery reports arrive later on notify's receipt endpoint (api/sms_receipts.py),
which hands them to the same receipt handler the development sink calls.
"""

from __future__ import annotations

import orjson

from dvc_kernel.lean_http import Client, HTTPError

from . import sms_protocol as protocol


class SmsProviderError(RuntimeError):
    """The provider did not take the SMS; the text says why (never the message's text)."""


class BrandnameSmsClient:
    """One request per SMS over kept-alive connections (`dvc_kernel.lean_http`: a send is on
    every dossier's path, and httpx cost notify about a third of its CPU)."""

    def __init__(
        self,
        base_url: str,
        api_key: str,
        brandname: str,
        callback_url: str,
        *,
        timeout: float = 10.0,
        ca_file: str | None = None,
    ) -> None:
        self.brandname = brandname
        self.callback_url = callback_url
        self._client = Client.for_url(
            base_url, timeout=timeout, headers={"Authorization": f"Bearer {api_key}"}, ca_file=ca_file
        )

    async def send(self, message_id: str, phone: str, text: str) -> str:
        body = {
            "brandname": self.brandname,
            "phone": phone,
            "text": text,
            "client_ref": message_id,
            "callback_url": self.callback_url,
        }
        try:
            answer = await self._client.post(protocol.SEND_PATH, orjson.dumps(body), {})
        except HTTPError as exc:
            raise SmsProviderError(f"SMS provider unreachable for {message_id}: {exc}") from None
        if answer.status != 202:
            # The provider's answer may quote the request: only its status goes into the error.
            raise SmsProviderError(f"SMS provider answered HTTP {answer.status} for {message_id}")
        try:
            sms_id = orjson.loads(answer.body).get("sms_id")
        except (orjson.JSONDecodeError, AttributeError):
            sms_id = None
        if not isinstance(sms_id, str) or not sms_id:
            raise SmsProviderError(f"SMS provider gave no id for {message_id}")
        return sms_id

    async def close(self) -> None:
        self._client.close()
