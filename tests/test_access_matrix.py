"""Who may call what: every route of every service, for every kind of caller.

Each route is classified below; a route added without a classification fails the test, so
nobody ships an endpoint without deciding who may use it. Callers carry real signed tokens.
Data-level rules (a citizen's own dossiers, an officer's own units) are tested with each
service; here, an allowed caller must get past authentication and authorisation (any answer
but 401/403), and a refused one must get 401 or 403.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator
from typing import Any
from uuid import uuid4

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from dvc_testing.in_process import SMS_PROVIDER, built_services, environment
from dvc_testing.stack import SERVICES
from dvc_testing.tokens import TestTokens

TOKENS = TestTokens()
CALLERS = ["anonymous", "citizen", "organisation", "officer", "supervisor", "auditor", "operator"]
EVERYONE = frozenset(CALLERS)
SIGNED_IN = EVERYONE - {"anonymous"}
APPLICANTS = frozenset({"citizen", "organisation"})
STAFF = frozenset({"officer", "supervisor", "auditor", "operator"})
HANDLERS = frozenset({"officer", "supervisor"})

# (service, method, path) -> callers allowed through; everyone else gets 401 or 403.
POLICY: dict[tuple[str, str, str], frozenset[str]] = {
    **{(s, "GET", p): EVERYONE for s in SERVICES for p in ("/healthz", "/readyz", "/metrics")},
    # identity: signing up and in is open; the rest needs a token
    ("identity", "GET", "/.well-known/jwks.json"): EVERYONE,
    ("identity", "POST", "/v1/registrations"): EVERYONE,
    ("identity", "POST", "/v1/registrations/{registration_id}/verify"): EVERYONE,
    ("identity", "POST", "/v1/registrations/{registration_id}/resend-otp"): EVERYONE,
    ("identity", "POST", "/v1/sessions"): EVERYONE,
    ("identity", "POST", "/v1/sessions/{challenge_id}/verify"): EVERYONE,
    ("identity", "POST", "/v1/tokens/refresh"): EVERYONE,
    ("identity", "POST", "/v1/sessions/logout"): EVERYONE,
    ("identity", "GET", "/v1/me"): SIGNED_IN,
    ("identity", "POST", "/v1/organisations"): frozenset({"citizen"}),
    ("identity", "POST", "/v1/staff"): frozenset({"operator"}),
    ("identity", "PATCH", "/v1/staff/{staff_id}/units"): frozenset({"operator"}),
    ("identity", "DELETE", "/v1/staff/{staff_id}"): frozenset({"operator"}),
    ("identity", "POST", "/v1/registry/match"): STAFF,
    # catalog: the law is public
    ("catalog", "GET", "/v1/procedures"): EVERYONE,
    ("catalog", "GET", "/v1/procedures/{code}"): EVERYONE,
    ("catalog", "GET", "/v1/procedures/{code}/competent-unit"): EVERYONE,
    ("catalog", "GET", "/v1/units"): EVERYONE,
    ("catalog", "GET", "/v1/units/{code}"): EVERYONE,
    # intake: applicants file and follow their own; staff do not file
    ("intake", "GET", "/v1/dossiers"): APPLICANTS,
    ("intake", "POST", "/v1/dossiers"): APPLICANTS,
    ("intake", "GET", "/v1/dossiers/{code}"): APPLICANTS,
    ("intake", "POST", "/v1/dossiers/{code}/supplements"): APPLICANTS,
    ("intake", "POST", "/v1/dossiers/{code}/withdraw"): APPLICANTS,
    ("intake", "GET", "/v1/drafts"): APPLICANTS,
    ("intake", "POST", "/v1/drafts"): APPLICANTS,
    ("intake", "GET", "/v1/drafts/{draft_id}"): APPLICANTS,
    ("intake", "PUT", "/v1/drafts/{draft_id}"): APPLICANTS,
    ("intake", "POST", "/v1/drafts/{draft_id}/attachments"): APPLICANTS,
    ("intake", "DELETE", "/v1/drafts/{draft_id}/attachments/{sha256}"): APPLICANTS,
    ("intake", "DELETE", "/v1/drafts/{draft_id}"): APPLICANTS,
    ("intake", "POST", "/v1/drafts/{draft_id}/submit"): APPLICANTS,
    ("intake", "POST", "/v1/files"): APPLICANTS,
    ("intake", "GET", "/v1/lodging-notices"): APPLICANTS,
    ("intake", "POST", "/v1/lodging-notices"): APPLICANTS,
    ("intake", "GET", "/v1/lodging-notices/{notice_id}"): APPLICANTS,
    # every service's event store, page by page, for auditors only
    **{(s, "GET", "/v1/audit/notifications"): frozenset({"auditor"}) for s in SERVICES},
    # every service's dead letters (ADR 0020), for operators only
    **{
        (s, method, path): frozenset({"operator"})
        for s in SERVICES
        for method, path in (
            ("GET", "/v1/ops/dead-letters"),
            ("GET", "/v1/ops/dead-letters/{letter_id}"),
            ("POST", "/v1/ops/dead-letters/{letter_id}/replay"),
            ("POST", "/v1/ops/dead-letters/{letter_id}/discard"),
        )
    },
    # processing
    ("processing", "GET", "/v1/deadlines/preview"): EVERYONE,
    ("processing", "GET", "/v1/lodging/deadline"): EVERYONE,
    ("processing", "GET", "/v1/reasons"): EVERYONE,
    ("processing", "GET", "/v1/supplement-round-reasons"): EVERYONE,
    ("processing", "GET", "/v1/public/dossiers/{code}"): EVERYONE,
    ("processing", "GET", "/v1/dossiers/{code}"): SIGNED_IN,
    ("processing", "GET", "/v1/queue"): frozenset({"officer", "supervisor", "auditor"}),
    ("processing", "GET", "/v1/dashboard"): frozenset({"officer", "supervisor", "auditor"}),
    ("processing", "GET", "/v1/stream"): frozenset({"officer", "supervisor", "auditor"}),
    ("processing", "POST", "/v1/dossiers/{code}/complaints"): APPLICANTS,
    ("processing", "GET", "/v1/complaints"): frozenset({"supervisor"}),
    ("processing", "GET", "/v1/complaints/mine"): APPLICANTS,
    ("processing", "POST", "/v1/complaints/{complaint_id}/resolution"): frozenset({"supervisor"}),
    **{
        ("processing", "POST", f"/v1/dossiers/{{code}}/{action}"): HANDLERS
        for action in (
            "assign",
            "accept",
            "supplement-requests",
            "rejection",
            "decision",
            "result",
            "transfer",
            "apology",
        )
    },
    # payment: applicants pay their own fee; the gateway and the bank call back without a token
    # (their signatures are checked); staff of the unit take counter receipts and reconcile
    ("payment", "GET", "/v1/dossiers/{code}/fee"): SIGNED_IN,
    ("payment", "POST", "/v1/dossiers/{code}/payments"): APPLICANTS,
    ("payment", "GET", "/v1/gateway/vnpay/ipn"): EVERYONE,
    ("payment", "GET", "/v1/gateway/vnpay/return"): EVERYONE,
    ("payment", "POST", "/v1/gateway/vietqr/notifications"): EVERYONE,
    ("payment", "POST", "/v1/dossiers/{code}/counter-receipts"): HANDLERS,
    ("payment", "GET", "/v1/reconciliation/{day}"): HANDLERS | {"auditor"},  # scoped by unit
    # delivery: results for their owner and the unit's staff; verification is public; notify
    # fetches the PDF with the service secret; the post calls back with its own signature
    ("delivery", "GET", "/v1/results/{code}"): APPLICANTS | HANDLERS,
    ("delivery", "GET", "/v1/results/{code}/document.pdf"): APPLICANTS | HANDLERS,
    ("delivery", "POST", "/v1/results/{code}/postal-address"): APPLICANTS,
    ("delivery", "GET", "/v1/internal/results/{dossier_id}/document.pdf"): frozenset(),
    ("delivery", "GET", "/v1/verify/{verification_code}"): EVERYONE,
    ("delivery", "POST", "/v1/verify"): EVERYONE,
    ("delivery", "GET", "/v1/pickup/{code}/slots"): APPLICANTS | HANDLERS,
    ("delivery", "POST", "/v1/pickup/{code}/booking"): APPLICANTS,
    ("delivery", "POST", "/v1/pickup/{code}/collected"): HANDLERS,
    ("delivery", "POST", "/v1/postal/webhook"): frozenset(),
    # notify: OTP sending is for identity only (service secret)
    ("notify", "POST", "/v1/internal/otp"): frozenset(),
    ("notify", "GET", "/v1/inbox"): APPLICANTS,  # each applicant's own messages
}

# What differs between the two configurations. Production (compose, Kubernetes, the benchmark)
# sends SMS through the brand-name provider, whose delivery reports carry its signature; only a
# development stack (DVC_DEVELOPMENT=1) has the SMS sink, whose listing stands in for the phone
# and is open to anyone.
CONFIGURATIONS: dict[str, tuple[dict[str, str], dict[tuple[str, str, str], frozenset[str]]]] = {
    "production": (
        SMS_PROVIDER,
        {("notify", "POST", "/v1/sms/receipts"): frozenset()},
    ),
    "development": ({"DVC_DEVELOPMENT": "1"}, {("notify", "GET", "/v1/dev/sms"): EVERYONE}),
}

# Server-sent event streams: only refusals are checked here (they answer at once).
ENDLESS = {("processing", "GET", "/v1/stream")}


@pytest.fixture(scope="module", params=list(CONFIGURATIONS))
def configuration(request: pytest.FixtureRequest) -> Iterator[str]:
    env, _ = CONFIGURATIONS[request.param]
    varying = ("DVC_DEVELOPMENT", "DVC_DATA_DIR", "SMS_PROVIDER_URL", "SMS_PROVIDER_API_KEY")
    with environment({**env, "DVC_DATA_DIR": tempfile.mkdtemp(prefix="dvc-access-")}, unset=varying):
        yield request.param


@pytest.fixture(scope="module")
def apps(configuration: str) -> Iterator[dict[str, FastAPI]]:
    with built_services(TOKENS) as built:
        yield built


@pytest.fixture(scope="module")
def policy(configuration: str) -> dict[tuple[str, str, str], frozenset[str]]:
    return {**POLICY, **CONFIGURATIONS[configuration][1]}


def routes(app: FastAPI) -> list[tuple[str, str]]:
    """Every operation the service serves, as its OpenAPI document lists them."""
    return [(method.upper(), path) for path, ops in app.openapi()["paths"].items() for method in ops]


def test_every_route_is_classified(
    apps: dict[str, FastAPI], policy: dict[tuple[str, str, str], frozenset[str]]
) -> None:
    found = {(name, m, p) for name, app in apps.items() for m, p in routes(app)}
    assert found - set(policy) == set(), "decide who may call these routes"
    assert set(policy) - found == set(), "these classified routes no longer exist"


def test_production_has_no_development_route(configuration: str, apps: dict[str, FastAPI]) -> None:
    development = [
        (name, p) for name, app in apps.items() for _, p in routes(app) if p.startswith("/v1/dev/")
    ]
    expected = [] if configuration == "production" else [("notify", "/v1/dev/sms")]
    assert development == expected


def _url(path: str) -> str:
    def fill(match: re.Match[str]) -> str:
        return "261123-K7M3Q9-4" if match.group(1) == "code" else str(uuid4())

    return re.sub(r"\{(\w+)\}", fill, path)


def _headers(caller: str) -> dict[str, str]:
    if caller == "anonymous":
        return {}
    units = ("CAX-00004",) if caller in STAFF else ()
    return TOKENS.headers(caller, units)


@pytest.mark.parametrize("caller", CALLERS)
def test_each_caller_is_let_through_or_refused_as_classified(
    apps: dict[str, FastAPI], policy: dict[tuple[str, str, str], frozenset[str]], caller: str
) -> None:
    wrong: list[str] = []
    for (service, method, path), allowed in policy.items():
        if (service, method, path) in ENDLESS and caller in allowed:
            continue  # an open event stream never ends; tests/e2e/test_audit.py follows it
        client = TestClient(apps[service], raise_server_exceptions=False)
        body: Any = {} if method in ("POST", "PUT", "PATCH") else None
        status = client.request(method, _url(path), json=body, headers=_headers(caller)).status_code
        ok = status not in (401, 403) if caller in allowed else status in (401, 403)
        # Without a broker in this test /readyz rightly answers 503; nothing else may fail.
        if not ok or (status >= 500 and path != "/readyz"):
            wrong.append(f"{caller} {method} {service}{path} -> {status}")
    assert wrong == []


@pytest.mark.parametrize("after", [2**63, 2**64, 10**30])
def test_a_notification_id_beyond_64_bits_is_a_422_on_every_service(
    apps: dict[str, FastAPI], after: int
) -> None:
    """It reached the store's driver and overflowed there: a 500 (issue 14)."""
    for service, app in apps.items():
        client = TestClient(app, raise_server_exceptions=False)
        answer = client.get(f"/v1/audit/notifications?after={after}", headers=TOKENS.headers("auditor"))
        assert answer.status_code == 422, (service, answer.status_code, answer.text)
    last = TestClient(apps["processing"]).get(
        f"/v1/audit/notifications?after={2**63 - 1}", headers=TOKENS.headers("auditor")
    )
    assert last.status_code == 200 and last.json()["items"] == []
