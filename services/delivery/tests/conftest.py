"""Delivery under test: the real application and HTTP routers on each event store, the catalog's
own data, a local test CA in a temporary folder, real signed tokens and a fixed clock."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from eventsourcing.persistence import Tracking
from fastapi import FastAPI
from fastapi.testclient import TestClient

from dvc_contracts import EventPayload
from dvc_contracts.dossier import Applicant, Received, ResultIssued
from dvc_delivery.adapters.signing import LocalCa
from dvc_delivery.api import pickup, postal_webhook, results, verify
from dvc_delivery.application import DeliveryApplication
from dvc_delivery.translation import translate
from dvc_kernel.application import Incoming
from dvc_kernel.auth.fastapi import install_auth
from dvc_kernel.clock import FixedClock
from dvc_kernel.errors import install_error_handlers
from dvc_testing import factories
from dvc_testing.new_dossiers import new_submitted
from dvc_testing.tokens import TestTokens

TOKENS = TestTokens()
UNIT = "CAX-00004"  # Công an phường Ba Đình, Hà Nội
OWNER = "account-hoa"
SERVICE_SECRET = "service-secret-for-tests"
POSTAL_SECRET = "postal-secret-for-tests"
VERIFY_URL = "https://dichvucong.bocongan.gov.vn/portal/xac-thuc.html?ma={code}"
# 10:00 on Monday 23/11/2026 in Hà Nội: the result is issued then.
ISSUED_AT = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)
HOA = Applicant(id_number="001203004321", full_name="Nguyễn Thị Hoa", phone="0912345678")
# Tờ khai CT01: where she asks to register is where the result can be posted.
CT01_ADDRESS = {"noi_de_nghi_ma_xa": "00004", "noi_de_nghi_dia_chi": "Số 12 phố Đội Cấn"}


class World:
    def __init__(self, env: dict[str, str], data_dir: Path) -> None:
        self.clock = FixedClock(ISSUED_AT + timedelta(minutes=1))
        self.ca = LocalCa(data_dir / "ca")
        self.app = DeliveryApplication(
            env=env,
            signer=self.ca,
            verify_url=VERIFY_URL,
            clock=self.clock,
            catalog=factories.catalog_replica(),
        )
        http = FastAPI()
        install_error_handlers(http)
        install_auth(http, TOKENS.verifier())
        http.include_router(results.router(self.app))
        http.include_router(results.internal_router(self.app, SERVICE_SECRET))
        http.include_router(verify.router(self.app))
        http.include_router(pickup.router(self.app))
        http.include_router(postal_webhook.router(self.app, POSTAL_SECRET))
        self.http = http
        self.client = TestClient(http)
        self.offset = 0

    def tell(self, payload: EventPayload, topic: str, producer: str) -> bool:
        """A public event as the inbox hands it over; False when it was a duplicate."""
        self.offset += 1
        envelope = factories.envelope(payload, payload.dossier_id, producer=producer)  # type: ignore[attr-defined]
        return self.app.process_incoming(Incoming(envelope, payload), Tracking(f"{topic}:0", self.offset))

    def submit(
        self,
        mode: str = "e_result",
        form_data: dict[str, Any] | None = None,
        procedure: tuple[str, int] = ("1.004194", 2),
        unit: str = UNIT,
    ) -> UUID:
        submitted = new_submitted(
            procedure_code=procedure[0],
            procedure_version=procedure[1],
            owner_account=OWNER,
            applicant=HOA,
            unit_code=unit,
            delivery_mode=mode,
            form_data=form_data if form_data is not None else dict(CT01_ADDRESS),
        )
        dossier_id, code = submitted.dossier_id, submitted.dossier_code
        self.tell(submitted, "intake.dossier.v1", "intake")
        self.tell(
            Received(
                dossier_id=dossier_id,
                dossier_code=code,
                procedure_code=procedure[0],
                unit_code=unit,
                received_at=submitted.submitted_at,
            ),
            "processing.dossier.v1",
            "processing",
        )
        return dossier_id

    def issue(self, dossier_id: UUID, mode: str) -> None:
        delivery = self.app.delivery(dossier_id)
        assert delivery is not None
        self.tell(
            ResultIssued(
                dossier_id=dossier_id,
                dossier_code=delivery.dossier_code,
                result_form="CT08",
                summary="Đã đăng ký tạm trú cho bà Nguyễn Thị Hoa tại phường Ba Đình đến ngày 23/11/2028.",
                delivery_mode=mode,  # type: ignore[arg-type]
                issued_at=ISSUED_AT,
            ),
            "processing.dossier.v1",
            "processing",
        )

    def published(self, dossier_id: UUID) -> list[EventPayload]:
        """The public events delivery would relay about this dossier, in order."""
        found = []
        for event in self.app.events.get(dossier_id):
            out = translate(event)
            if out is not None:
                found.append(out.payload)
        return found

    def types(self, dossier_id: UUID) -> list[str]:
        return [p.event_type for p in self.published(dossier_id)]

    def owner(self) -> dict[str, str]:
        return TOKENS.headers("citizen", subject=OWNER)

    def officer(self, unit: str = UNIT) -> dict[str, str]:
        return TOKENS.headers("officer", [unit])


@pytest.fixture
def world(store_env: Callable[[str], dict[str, str]], tmp_path: Path) -> Iterator[World]:
    made = World(store_env("delivery"), tmp_path)
    yield made
    made.app.close()


@pytest.fixture
def sqlite_world(tmp_path: Path) -> Iterator[World]:
    """For rules that do not depend on the store (the store-backed suites run on both)."""
    env = {"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(tmp_path / "events.sqlite3")}
    made = World(env, tmp_path)
    yield made
    made.app.close()
