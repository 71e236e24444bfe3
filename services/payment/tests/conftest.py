"""A payment service over HTTP with real tokens, fed contract events as its consumers would be."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit
from uuid import UUID

import pytest
from eventsourcing.persistence import Tracking
from fastapi.testclient import TestClient

from dvc_contracts import EventPayload
from dvc_contracts.dossier import RejectedWithReason
from dvc_kernel.application import Incoming
from dvc_kernel.clock import FixedClock
from dvc_payment.adapters.credentials import MerchantCredentials
from dvc_payment.application import PaymentApplication
from dvc_payment.domain import vnpay
from dvc_payment.main import build
from dvc_payment.settings import PaymentSettings
from dvc_payment.translation import translate
from dvc_testing import factories
from dvc_testing.new_dossiers import new_submitted
from dvc_testing.tokens import TestTokens

UNIT = "CAX-00004"
SUBMITTED_AT = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # Monday 09:00 in Hà Nội
TOKENS = TestTokens()
OWNER = "citizen-account-1"


def rejected_outside_the_ward(dossier_id: UUID, code: str, at: datetime) -> RejectedWithReason:
    """Processing's rejection of a dossier filed with a ward that has no authority over the address:
    the fee, if paid, is paid back."""
    return RejectedWithReason(
        dossier_id=dossier_id,
        dossier_code=code,
        reason_code="khong_dung_tham_quyen",
        legal_basis="Luật Cư trú 2020, Điều 28",
        explanation="Nơi đề nghị đăng ký không thuộc địa bàn.",
        rejected_at=at,
    )


class World:
    def __init__(self, data_dir: Path) -> None:
        self.clock = FixedClock(SUBMITTED_AT + timedelta(minutes=5))
        settings = PaymentSettings(data_dir=data_dir, gateway_url="http://127.0.0.1:9")
        self.http = build(
            settings, verifier=TOKENS.verifier(), catalog=factories.catalog_replica(), clock=self.clock
        )
        self.app: PaymentApplication = self.http.state.runtime.app
        self.credentials: MerchantCredentials = settings.credentials()
        self.client = TestClient(self.http, raise_server_exceptions=False)
        self.offset = 0
        self.citizen = TOKENS.headers("citizen", subject=OWNER)

    def consume(self, payload: EventPayload, subject: UUID, producer: str = "intake") -> bool:
        self.offset += 1
        topic = "intake.dossier.v1" if producer == "intake" else "processing.dossier.v1"
        envelope = factories.envelope(payload, subject, producer=producer)
        return self.app.process_incoming(Incoming(envelope, payload), Tracking(f"{topic}:0", self.offset))

    def submit(self, procedure: str = "1.004194", version: int = 2, **changes: Any) -> str:
        payload = new_submitted(
            procedure_code=procedure,
            procedure_version=version,
            unit_code=UNIT,
            owner_account=OWNER,
            submitted_at=SUBMITTED_AT,
            **changes,
        )
        self.consume(payload, payload.dossier_id)
        return payload.dossier_code

    def fee_id(self, code: str) -> UUID:
        fee = self.app.fee_by_code(code)
        assert fee is not None
        return fee.id

    def public(self, code: str) -> list[str]:
        """The event types payment published for this dossier, in order."""
        names = []
        for event in self.app.events.get(self.fee_id(code)):
            out = translate(event)
            if out is not None:
                names.append(out.payload.event_type)
        return names

    def start(self, code: str, method: str = "gateway") -> dict[str, Any]:
        response = self.client.post(
            f"/v1/dossiers/{code}/payments", json={"method": method}, headers=self.citizen
        )
        assert response.status_code == 201, response.text
        body: dict[str, Any] = response.json()
        return body

    def gateway_result(
        self, redirect_url: str, *, paid: bool = True, transaction_no: str = "14422574", **changes: str
    ) -> dict[str, str]:
        """What VNPAY sends back after the customer pays on the page `redirect_url` opens."""
        asked = dict(parse_qsl(urlsplit(redirect_url).query))
        result = {
            "vnp_Amount": asked["vnp_Amount"],
            "vnp_BankCode": "NCB",
            "vnp_BankTranNo": "VNP" + transaction_no,
            "vnp_CardType": "ATM",
            "vnp_OrderInfo": asked["vnp_OrderInfo"],
            "vnp_PayDate": vnpay.stamp(self.clock.now()),
            "vnp_ResponseCode": "00" if paid else "24",
            "vnp_TmnCode": asked["vnp_TmnCode"],
            "vnp_TransactionNo": transaction_no,
            "vnp_TransactionStatus": "00" if paid else "02",
            "vnp_TxnRef": asked["vnp_TxnRef"],
            **changes,
        }
        result[vnpay.HASH_FIELD] = vnpay.sign(result, self.credentials.hash_secret)
        return result

    def ipn(self, params: dict[str, str]) -> dict[str, str]:
        response = self.client.get("/v1/gateway/vnpay/ipn", params=params)
        assert response.status_code == 200
        body: dict[str, str] = response.json()
        return body


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    w = World(tmp_path)
    yield w
    w.app.close()
