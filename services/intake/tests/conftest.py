"""Intake under test: the real application and HTTP app, with the catalog's own data, a
population registry made of identity's demo residents, files in a temporary folder, real
signed tokens and a fixed clock."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from dvc_identity.domain.registry import DeclaredIdentity, Resident, match_declared
from dvc_identity.projections.registry_replica import demo_residents
from dvc_intake.adapters.registry import DeclaredPerson, RegistryVerdict
from dvc_intake.adapters.storage import LocalFileStore
from dvc_intake.application import IntakeApplication
from dvc_intake.main import build
from dvc_intake.settings import IntakeSettings
from dvc_kernel.clock import FixedClock
from dvc_testing import factories
from dvc_testing.tokens import TestTokens

# 09:00 on Monday 23/11/2026 in Hà Nội.
NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
HOA = {
    "id_number": "001203004321",
    "full_name": "Nguyễn Thị Hoa",
    "date_of_birth": "2003-05-14",
    "phone": "0912345678",
}
HOA_WARD = "00070"  # Phường Hoàn Kiếm, Hà Nội
# Tờ khai CT01 as Hoa fills it for a temporary residence registration.
CT01 = {
    "ho_ten": "Nguyễn Thị Hoa",
    "ngay_sinh": "2003-05-14",
    "gioi_tinh": "nam",
    "so_dinh_danh": "001203004321",
    "noi_dung_de_nghi": "Đăng ký tạm trú tại phường Hoàn Kiếm",
    "noi_de_nghi_ma_xa": HOA_WARD,
}
PROOF_OF_RESIDENCE = "cho-o-hop-phap"
PDF = factories.one_page_pdf()
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(17)
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(32) + b"\xff\xd9"


class SeededRegistry:
    """The population registry as identity matches it, over identity's demo residents."""

    def __init__(self, residents: list[Resident]) -> None:
        self.residents = {r.id_number: r for r in residents}
        self.asked: list[DeclaredPerson] = []

    def check(self, person: DeclaredPerson) -> RegistryVerdict:
        self.asked.append(person)
        declared = DeclaredIdentity(person.id_number, person.full_name, person.date_of_birth)
        refusal = match_declared(declared, self.residents).refusal
        if refusal is None:
            return RegistryVerdict(True)
        return RegistryVerdict(False, refusal.code, refusal.message)


@pytest.fixture(scope="session")
def residents() -> list[Resident]:
    return demo_residents()


@pytest.fixture
def registry(residents: list[Resident]) -> SeededRegistry:
    return SeededRegistry(residents)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def app(registry: SeededRegistry, clock: FixedClock, tmp_path: Path) -> Iterator[IntakeApplication]:
    application = IntakeApplication(
        registry=registry,
        files=LocalFileStore(tmp_path / "files"),
        clock=clock,
        catalog=factories.catalog_replica(),
    )
    yield application
    application.close()


@pytest.fixture(scope="session")
def tokens() -> TestTokens:
    return TestTokens()


@pytest.fixture
def http(
    tokens: TestTokens, registry: SeededRegistry, clock: FixedClock, tmp_path: Path
) -> Iterator[TestClient]:
    """The HTTP app without its lifespan (no Kafka): requests run against the real store."""
    settings = IntakeSettings(data_dir=tmp_path, max_upload_bytes=64 * 1024)
    service = build(
        settings,
        verifier=tokens.verifier(),
        registry=registry,
        catalog=factories.catalog_replica(),
        clock=clock,
    )
    yield TestClient(service)
    service.state.runtime.app.close()


def intake_of(client: TestClient) -> IntakeApplication:
    application: IntakeApplication = client.app.state.runtime.app  # type: ignore[attr-defined]
    return application


def citizen(tokens: TestTokens, subject: str = "account-hoa") -> dict[str, str]:
    return tokens.headers("citizen", subject=subject)


def with_key(headers: dict[str, str], key: str) -> dict[str, str]:
    return {**headers, "Idempotency-Key": key}


def dossier_body(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "procedure_code": "1.003677",  # khai báo tạm vắng: the e-form is the only paper
        "applicant": dict(HOA),
        "delivery_mode": "e_result",
        "ward_code": HOA_WARD,
        "form_data": {**CT01, "noi_dung_de_nghi": "Khai báo tạm vắng từ 01/12/2026 đến 31/12/2026"},
    }
    body.update(changes)
    return body
