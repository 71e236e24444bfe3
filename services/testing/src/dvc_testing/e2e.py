"""End-to-end helpers: real accounts and real tokens through identity and notify's SMS sink.

Citizens register and log in as a person would (password, then the OTP read from the SMS
sink); staff are appointed by an operator, and the first operator is bootstrapped with
identity's own command, as an operator of the national service would do it.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from dvc_catalog.adapters import DATA_DIR as CATALOG_DATA
from dvc_testing.stack import Stack

CODE = re.compile(r"\b(\d{6})\b")


@dataclass(frozen=True)
class Person:
    id_number: str
    full_name: str
    phone: str
    date_of_birth: str | None = None


def sms(stack: Stack, phone: str) -> list[dict[str, Any]]:
    """Every SMS the sink holds for `phone`, oldest first."""
    answer = httpx.get(stack.sms_url(), params={"phone": phone, "limit": 1000}, timeout=10)
    answer.raise_for_status()
    return list(reversed(answer.json()))


def wait_sms(stack: Stack, phone: str, contains: str, timeout: float = 60) -> dict[str, Any]:
    """The first SMS to `phone` whose text contains `contains`, waiting for it to arrive."""
    deadline = time.monotonic() + timeout
    while True:
        for message in sms(stack, phone):
            if contains in message["text"]:
                return message
        if time.monotonic() > deadline:
            raise AssertionError(f"no SMS to {phone} containing {contains!r}: {sms(stack, phone)}")
        time.sleep(0.2)


def _new_code(stack: Stack, phone: str, seen: int, timeout: float = 30) -> str:
    deadline = time.monotonic() + timeout
    while True:
        messages = sms(stack, phone)
        codes = [m.group(1) for s in messages[seen:] if (m := CODE.search(s["text"]))]
        if codes:
            return codes[-1]
        if time.monotonic() > deadline:
            raise AssertionError(f"no OTP reached {phone}")
        time.sleep(0.2)


def _post(stack: Stack, path: str, body: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    answer = httpx.post(f"{stack.url('identity')}{path}", json=body, timeout=30, **kwargs)
    assert answer.status_code in (200, 201, 202), f"{path}: {answer.status_code} {answer.text}"
    result: dict[str, Any] = answer.json() if answer.content else {}
    return result


def sign_in(stack: Stack, person: Person, password: str, account_type: str = "citizen") -> dict[str, Any]:
    """Password, then the OTP from the SMS sink; identity's answer (access and refresh tokens)."""
    seen = len(sms(stack, person.phone))
    challenge = _post(
        stack,
        "/v1/sessions",
        {"id_number": person.id_number, "password": password, "account_type": account_type},
    )
    code = _new_code(stack, person.phone, seen)
    return _post(stack, f"/v1/sessions/{challenge['challenge_id']}/verify", {"code": code})


def log_in(stack: Stack, person: Person, password: str, account_type: str = "citizen") -> str:
    """Password, then the OTP from the SMS sink; returns an access token."""
    return str(sign_in(stack, person, password, account_type)["access_token"])


def refresh(stack: Stack, refresh_token: str) -> dict[str, Any]:
    """A new access token (and the next refresh token) without another OTP."""
    return _post(stack, "/v1/tokens/refresh", {"refresh_token": refresh_token})


def register_citizen(stack: Stack, person: Person, password: str) -> str:
    """A resident of the registry registers, verifies the OTP and logs in: an access token."""
    register(stack, person, password)
    return log_in(stack, person, password)


def register(stack: Stack, person: Person, password: str) -> None:
    """A resident of the registry registers and verifies the OTP sent to their phone."""
    seen = len(sms(stack, person.phone))
    started = _post(
        stack,
        "/v1/registrations",
        {
            "id_number": person.id_number,
            "full_name": person.full_name,
            "date_of_birth": person.date_of_birth,
            "phone": person.phone,
            "password": password,
        },
    )
    code = _new_code(stack, person.phone, seen)
    _post(stack, f"/v1/registrations/{started['registration_id']}/verify", {"code": code})


def bootstrap_operator(stack: Stack, person: Person, password: str, unit: str = "C06") -> str:
    """The first operator, created with identity's command on identity's store; logged in."""
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "from dvc_identity.cli import staff_main; raise SystemExit(staff_main())",
            "create-operator",
            "--id-number",
            person.id_number,
            "--full-name",
            person.full_name,
            "--phone",
            person.phone,
            "--unit",
            unit,
            "--password-stdin",
        ],
        input=password + "\n",
        text=True,
        capture_output=True,
        env=stack.env(),
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return log_in(stack, person, password, account_type="staff")


def appoint(
    stack: Stack, operator_token: str, person: Person, role: str, units: list[str], password: str
) -> str:
    """An operator appoints a staff member; the new officer logs in: an access token."""
    _post(
        stack,
        "/v1/staff",
        {
            "id_number": person.id_number,
            "full_name": person.full_name,
            "phone": person.phone,
            "role": role,
            "units": units,
            "password": password,
        },
        headers={"Authorization": f"Bearer {operator_token}"},
    )
    return log_in(stack, person, password, account_type="staff")


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def call(
    stack: Stack, service: str, method: str, path: str, token: str, body: Any = None, **headers: str
) -> Any:
    """A request to `service` as the holder of `token`, which must succeed (200 or 201): its JSON."""
    answer = httpx.request(
        method, f"{stack.url(service)}{path}", json=body, timeout=30, headers={**bearer(token), **headers}
    )
    assert answer.status_code in (200, 201), f"{method} {path}: {answer.status_code} {answer.text}"
    return answer.json()


PROOF_OF_RESIDENCE = "cho-o-hop-phap"
# A real one-page PDF (what pypdf writes for a blank page): intake opens every PDF (issue 14).
PDF = (
    b"%PDF-1.3\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<\n/Producer (pypdf)\n>>\nendobj\n2 0 obj\n<<\n/Type /Pages\n"
    b"/Count 1\n/Kids [ 4 0 R ]\n>>\nendobj\n3 0 obj\n<<\n/Type /Catalog\n/Pages 2 0 R\n>>\nendobj\n"
    b"4 0 obj\n<<\n/Type /Page\n/Resources <<\n>>\n/MediaBox [ 0.0 0.0 72 72 ]\n/Parent 2 0 R\n>>\n"
    b"endobj\nxref\n0 5\n0000000000 65535 f \n0000000015 00000 n \n0000000054 00000 n \n"
    b"0000000113 00000 n \n0000000162 00000 n \ntrailer\n<<\n/Size 5\n/Root 3 0 R\n/Info 1 0 R\n>>\n"
    b"startxref\n254\n%%EOF\n"
)


def file_temporary_residence(
    stack: Stack,
    token: str,
    person: Person,
    ward_code: str,
    key: str,
    phone: str | None = None,
    email: str | None = None,
    delivery_mode: str = "e_result",
) -> httpx.Response:
    """A complete Đăng ký tạm trú (1.004194) as a citizen files it: the CT01 form, the ward of
    the address, and a proof of lawful residence uploaded first. Returns intake's answer."""
    proof = httpx.post(
        f"{stack.url('intake')}/v1/files",
        files={"file": ("hop-dong-thue-nha.pdf", PDF)},
        headers=bearer(token),
        timeout=30,
    )
    assert proof.status_code == 201, proof.text
    body = {
        "procedure_code": "1.004194",
        "applicant": {
            "id_number": person.id_number,
            "full_name": person.full_name,
            "phone": phone or person.phone,
            "date_of_birth": person.date_of_birth,
            **({"email": email} if email else {}),
        },
        "ward_code": ward_code,
        "delivery_mode": delivery_mode,
        "form_data": {
            "ho_ten": person.full_name,
            "ngay_sinh": person.date_of_birth,
            "gioi_tinh": "nam",
            "so_dinh_danh": person.id_number,
            "noi_dung_de_nghi": "Đăng ký tạm trú",
            "noi_de_nghi_ma_xa": ward_code,
        },
        "attachments": [{"sha256": proof.json()["sha256"], "document_code": PROOF_OF_RESIDENCE}],
    }
    return file_at_intake(stack, "/v1/dossiers", body, token, key)


def file_at_intake(stack: Stack, path: str, body: dict[str, Any], token: str, key: str) -> httpx.Response:
    """An applicant files `body` at intake's `path` (a dossier, a lodging notice), once under
    `key` however often it is sent. Returns intake's answer."""
    return httpx.post(
        f"{stack.url('intake')}{path}",
        json=body,
        timeout=30,
        headers={**bearer(token), "Idempotency-Key": key},
    )


def decide_and_issue(
    stack: Stack, officer: str, code: str, summary: str, form: str, result_summary: str | None = None
) -> None:
    """The officer accepts dossier `code`, approves it with `summary` and issues the result on
    `form` (summed up as `result_summary`, or as the decision)."""
    call(stack, "processing", "POST", f"/v1/dossiers/{code}/accept", officer)
    approval = {"outcome": "approved", "summary": summary}
    call(stack, "processing", "POST", f"/v1/dossiers/{code}/decision", officer, approval)
    result = {"result_form": form, "summary": result_summary or summary}
    call(stack, "processing", "POST", f"/v1/dossiers/{code}/result", officer, result)


def tracking_when(
    stack: Stack,
    code: str,
    token: str,
    ready: Callable[[dict[str, Any]], bool],
    what: str,
    timeout: float = 60,
) -> dict[str, Any]:
    """Processing's tracking view of dossier `code` once `ready(view)` holds."""
    deadline = time.monotonic() + timeout
    while True:
        answer = httpx.get(f"{stack.url('processing')}/v1/dossiers/{code}", headers=bearer(token), timeout=10)
        if answer.status_code == 200 and ready(view := answer.json()):
            return view  # type: ignore[no-any-return]
        if time.monotonic() > deadline:
            raise AssertionError(f"{code} never {what}: {answer.status_code} {answer.text}")
        time.sleep(0.2)


def tracked(stack: Stack, code: str, token: str, status: str, timeout: float = 60) -> dict[str, Any]:
    """Processing's tracking view of dossier `code` once it has `status`."""
    return tracking_when(
        stack, code, token, lambda view: view["status"] == status, f"reached {status}", timeout
    )


def fee_settled(view: dict[str, Any]) -> bool:
    """Processing has taken the payment into account (it learns it from payment's topic)."""
    return view["fee_due_vnd"] is not None and view["fee_paid_vnd"] >= view["fee_due_vnd"]


def pay_online(stack: Stack, token: str, code: str, timeout: float = 60) -> dict[str, Any]:
    """The citizen pays the dossier's fee through the gateway simulator, as in a browser: start
    the payment, open the gateway's page, press "Thanh toán". Returns the fee once paid."""
    fee_url = f"{stack.url('payment')}/v1/dossiers/{code}/fee"
    deadline = time.monotonic() + timeout
    while True:  # payment assesses the fee once the Submitted reaches it
        started = httpx.post(
            f"{stack.url('payment')}/v1/dossiers/{code}/payments",
            json={"method": "gateway"},
            headers=bearer(token),
            timeout=30,
        )
        if started.status_code == 201:
            break
        if time.monotonic() > deadline:
            raise AssertionError(f"cannot start paying {code}: {started.status_code} {started.text}")
        time.sleep(0.3)
    page = httpx.get(started.json()["redirect_url"], timeout=30)
    assert page.status_code == 200, page.text
    confirmed = httpx.post(
        f"{stack.simulator_url('payment-gateway')}/paymentv2/confirm",
        data={"vnp_TxnRef": started.json()["txn_ref"], "action": "pay"},
        timeout=30,
    )
    assert confirmed.status_code == 302, confirmed.text
    while True:
        fee = httpx.get(fee_url, headers=bearer(token), timeout=10)
        if fee.status_code == 200 and fee.json().get("status") == "paid":
            paid: dict[str, Any] = fee.json()
            return paid
        if time.monotonic() > deadline:
            raise AssertionError(f"fee of {code} not paid: {fee.status_code} {fee.text}")
        time.sleep(0.2)


# People of the demo: a resident of identity's registry seed, and staff an operator appoints.
MINH = Person("079090001234", "Trần Văn Minh", "0903123456", "1990-08-21")
MINH_WARD = "26743"  # Phường Bến Thành: his dossiers go to CAX-26743
OPERATOR = Person("001080001111", "Đỗ Thị Lan", "0987000111")
OFFICER = Person("001085002222", "Vũ Văn Hùng", "0987000222")
PASSWORD = "mật khẩu đủ dài 2026"


def stack_in(kafka: str, root: Path, ports: dict[str, int], development: bool = True, **env: str) -> Stack:
    """Services on `kafka`, not started yet, with their data and logs under `root` and a
    catalog data directory of their own (`<root>/catalog-data`, which a test may revise)."""
    catalog_data = root / "catalog-data"
    shutil.copytree(CATALOG_DATA, catalog_data)
    return Stack(
        kafka=kafka,
        data_dir=root / "data",
        log_dir=root / "logs",
        ports=dict(ports),
        extra_env={"CATALOG_DATA_DIR": str(catalog_data), **env},
        development=development,
    )


def enrol(stack: Stack, staff: Mapping[str, tuple[Person, str, list[str]]]) -> dict[str, str]:
    """Tokens of a story's people: Minh, a citizen, then each of `staff` (name -> person, role,
    units) appointed by the bootstrapped operator."""
    operator = bootstrap_operator(stack, OPERATOR, PASSWORD)
    tokens = {"citizen": register_citizen(stack, MINH, PASSWORD)}
    for name, (person, role, units) in staff.items():
        tokens[name] = appoint(stack, operator, person, role, units, PASSWORD)
    return tokens


@contextmanager
def running_stack(
    kafka: str, root: Path, ports: dict[str, int], development: bool = True, **env: str
) -> Iterator[Stack]:
    """The seven services as processes on `kafka` (`stack_in`), stopped on exit."""
    stack = stack_in(kafka, root, ports, development, **env)
    stack.start_all()
    try:
        stack.wait_ready(timeout=180)
        yield stack
    finally:
        stack.stop_all()
