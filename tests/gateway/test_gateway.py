"""The gateway as users and attackers meet it: a real nginx (Debian's, `make gateway-install`)
with the configuration `gatewayctl.py` renders, in front of echo servers standing in for the
seven services. Every operation of every service's OpenAPI document must reach its service with
the prefix stripped (or be one of the few private ones, refused); the public guessable routes
answer 429 with Retry-After and a Vietnamese body; an oversized body is refused before it is
read; the security headers, request id and CORS are as ADR 0019 says."""

from __future__ import annotations

import json
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "deploy" / "gateway"))
import gatewayctl  # noqa: E402

# Port block 19500-19599 of issue 13: this module's gateway and echo services.
GATEWAY_PORT = 19520  # and 19530 for the rate-limit tests
PORTS = {name: 19521 + i for i, name in enumerate(gatewayctl.SERVICES)}
ALLOWED_ORIGIN = "https://dichvucong.example.vn"


@pytest.fixture(scope="module", autouse=True)
def nginx_installed() -> None:
    """A missing nginx fails these tests, never skips them: `make test` installs it."""
    if not Path(gatewayctl.NGINX).exists():
        pytest.fail(f"no nginx at {gatewayctl.NGINX}: run `make gateway-install` (make test does)")


@pytest.fixture(scope="module")
def gateway(
    echoes: dict[str, list[dict[str, Any]]], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[gatewayctl.Gateway]:
    settings = gatewayctl.development_settings(
        PORTS, GATEWAY_PORT, tmp_path_factory.mktemp("gateway").resolve()
    )
    settings.cors_origins = (ALLOWED_ORIGIN,)
    with gatewayctl.Gateway(settings) as running:
        yield running


def operations() -> list[tuple[str, str, str]]:
    """(service, method, path) of every operation of every service's OpenAPI document."""
    found = []
    for service in gatewayctl.SERVICES:
        document = json.loads((REPO / "docs" / "openapi" / f"{service}.json").read_text())
        for path, methods in document["paths"].items():
            for method in methods:
                found.append((service, method.upper(), path))
    return found


def is_private(path: str) -> bool:
    return any(re.fullmatch(pattern, path) for pattern in gatewayctl.PRIVATE)


def test_every_operation_of_every_service_is_reachable_through_the_gateway(
    gateway: gatewayctl.Gateway, echoes: dict[str, list[dict[str, Any]]]
) -> None:
    unreachable = []
    client = httpx.Client(timeout=10)
    for service, method, path in operations():
        concrete = re.sub(r"\{[^}]+\}", "260101-ABCDEF-1", path)
        body = b"{}" if method in ("POST", "PUT", "PATCH") else None
        before = len(echoes[service])
        answer = client.request(
            method,
            f"{gateway.url}/api/{service}{concrete}?page=2",
            content=body,
            headers={"Content-Type": "application/json"} if body else {},
            timeout=10,
        )
        if is_private(path):
            if answer.status_code != 404 or len(echoes[service]) != before:
                unreachable.append(f"{method} {path} of {service} is private but was passed on")
            continue
        arrived = echoes[service][before:]
        if answer.status_code != 200 or [(r["method"], r["path"]) for r in arrived] != [
            (method, f"{concrete}?page=2")
        ]:
            unreachable.append(f"{method} /api/{service}{path}: {answer.status_code} {arrived}")
    assert unreachable == []
    # The private operations exist (so the check above checked something) and stay few.
    assert 0 < sum(is_private(path) for _, _, path in operations()) <= 20


def test_a_request_id_is_made_when_missing_and_passed_on_with_traceparent(
    gateway: gatewayctl.Gateway,
) -> None:
    answer = httpx.get(f"{gateway.url}/api/catalog/v1/procedures", timeout=10)
    made = answer.headers["x-request-id"]
    assert re.fullmatch(r"[0-9a-f]{32}", made)
    assert answer.json()["headers"]["x-request-id"] == made

    traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
    answer = httpx.get(
        f"{gateway.url}/api/catalog/v1/procedures",
        headers={"X-Request-Id": "portal-42", "traceparent": traceparent},
        timeout=10,
    )
    assert answer.headers["x-request-id"] == "portal-42"
    assert answer.json()["headers"]["x-request-id"] == "portal-42"
    assert answer.json()["headers"]["traceparent"] == traceparent


def test_every_answer_carries_the_security_headers(gateway: gatewayctl.Gateway) -> None:
    for path in ("/api/catalog/v1/procedures", "/api/identity/metrics", "/no-such-page"):
        headers = httpx.get(f"{gateway.url}{path}", timeout=10).headers
        csp = headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert "frame-ancestors 'none'" in csp
        assert headers["x-content-type-options"] == "nosniff"
        assert "strict-transport-security" not in headers  # development is plain HTTP


def test_hsts_is_only_in_the_production_rendering() -> None:
    production = gatewayctl.render(gatewayctl.container_settings("production"))
    compose = gatewayctl.render(gatewayctl.container_settings("compose"))
    assert "Strict-Transport-Security" in production
    assert "Strict-Transport-Security" not in compose


def test_cors_only_for_configured_origins(gateway: gatewayctl.Gateway) -> None:
    preflight = {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization"}
    allowed = httpx.options(
        f"{gateway.url}/api/intake/v1/dossiers", headers={"Origin": ALLOWED_ORIGIN, **preflight}, timeout=10
    )
    assert allowed.status_code == 204
    assert allowed.headers["access-control-allow-origin"] == ALLOWED_ORIGIN
    assert "POST" in allowed.headers["access-control-allow-methods"]
    assert "Authorization" in allowed.headers["access-control-allow-headers"]

    other = httpx.options(
        f"{gateway.url}/api/intake/v1/dossiers",
        headers={"Origin": "https://lua-dao.example.com", **preflight},
        timeout=10,
    )
    assert "access-control-allow-origin" not in other.headers
    simple = httpx.get(
        f"{gateway.url}/api/catalog/v1/procedures", headers={"Origin": "https://lua-dao.example.com"}
    )
    assert "access-control-allow-origin" not in simple.headers


def _status_line_before_sending_the_body(url: str, path: str, length: int) -> tuple[int, bytes]:
    """Announce a body of `length` bytes, send none of it, and read the answer."""
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=5) as conn:
        conn.sendall(
            f"POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {length}\r\n\r\n".encode()
        )
        received = b""
        while b"\r\n\r\n" not in received or not received.rstrip().endswith(b"}"):
            chunk = conn.recv(65536)
            if not chunk:
                break
            received += chunk
    head, _, body = received.partition(b"\r\n\r\n")
    return int(head.split()[1]), body


def test_an_oversized_body_is_refused_before_it_is_read(
    gateway: gatewayctl.Gateway, echoes: dict[str, list[dict[str, Any]]]
) -> None:
    before = len(echoes["intake"])
    started = time.monotonic()
    status, body = _status_line_before_sending_the_body(gateway.url, "/api/intake/v1/dossiers", 300 * 1024)
    assert status == 413 and time.monotonic() - started < 2  # it did not wait for the body
    assert json.loads(body)["code"] == "too_large"
    assert "quá lớn" in json.loads(body)["message"]
    status, _ = _status_line_before_sending_the_body(gateway.url, "/api/intake/v1/files", 11 * 1024 * 1024)
    assert status == 413
    assert len(echoes["intake"]) == before  # the service never saw them

    # Within the limits: a JSON body of 200 KiB, an upload of 5 MiB.
    json_body = httpx.post(f"{gateway.url}/api/intake/v1/dossiers", content=b"x" * 200 * 1024, timeout=10)
    upload = httpx.post(f"{gateway.url}/api/intake/v1/files", content=b"x" * 5 * 1024 * 1024, timeout=30)
    assert (json_body.status_code, upload.status_code) == (200, 200)
    assert upload.json()["body_bytes"] == 5 * 1024 * 1024


@pytest.mark.parametrize(
    ("method", "path", "limit"),
    [
        ("GET", "/api/processing/v1/public/dossiers/260101-ABCDEF-1?id_last_digits=1234", gatewayctl.STATUS),
        ("POST", "/api/identity/v1/sessions", gatewayctl.LOGIN),
        ("POST", "/api/identity/v1/registrations/r-1/verify", gatewayctl.OTP),
    ],
)
def test_guessable_public_routes_answer_429_with_retry_after_in_vietnamese(
    echoes: dict[str, list[dict[str, Any]]],
    tmp_path: Path,
    method: str,
    path: str,
    limit: gatewayctl.RateLimit,
) -> None:
    # A gateway of its own: the limits count from zero.
    with gatewayctl.Gateway(gatewayctl.development_settings(PORTS, GATEWAY_PORT + 10, tmp_path)) as gateway:
        answers = [
            httpx.request(method, f"{gateway.url}{path}", json={} if method == "POST" else None, timeout=10)
            for _ in range(limit.burst + 4)
        ]
    statuses = [a.status_code for a in answers]
    # One at the rate, `burst` more at once, then refused.
    assert statuses[: limit.burst + 1] == [200] * (limit.burst + 1)
    refused = answers[-1]
    assert refused.status_code == 429
    assert refused.headers["retry-after"] == str(limit.retry_after)
    assert refused.headers["content-type"].startswith("application/json")
    assert refused.json() == {
        "code": "rate_limited",
        "message": f"Ông/bà đã gửi quá nhiều yêu cầu. Vui lòng thử lại sau {limit.retry_after} giây.",
    }
    assert refused.headers["x-content-type-options"] == "nosniff"


def test_the_access_log_is_json_with_no_query_string(gateway: gatewayctl.Gateway) -> None:
    httpx.get(
        f"{gateway.url}/api/processing/v1/deadlines/preview?procedure=1.004194",
        headers={"X-Request-Id": "log-check-1"},
        timeout=10,
    )
    time.sleep(0.2)
    lines = (gateway.state / "access.log").read_text().splitlines()
    entry = next(json.loads(line) for line in reversed(lines) if "log-check-1" in line)
    assert entry["path"] == "/api/processing/v1/deadlines/preview"
    assert entry["status"] == 200 and entry["route"] == "processing"
    assert entry["client_net"] == "127.0.0.0/24"
    assert "1.004194" not in json.dumps(entry)


def test_the_rendered_container_configurations_are_fresh() -> None:
    for target, path in gatewayctl.RENDERED.items():
        assert path.read_text() == gatewayctl.render(gatewayctl.container_settings(target)), (
            f"{path.name} is stale: run .venv/bin/python deploy/gateway/gatewayctl.py write-rendered"
        )


@pytest.mark.parametrize("target", sorted(gatewayctl.RENDERED))
def test_nginx_accepts_the_container_configurations(target: str, tmp_path: Path) -> None:
    # As rendered, but with the services on this machine (nginx resolves their names at start).
    settings = gatewayctl.container_settings(target)
    settings.upstreams = {s: f"127.0.0.1:{p}" for s, p in PORTS.items()}
    conf = tmp_path / "nginx.conf"
    conf.write_text(gatewayctl.render(settings).replace("/tmp/", f"{tmp_path}/"))
    done = subprocess.run(
        [
            gatewayctl.NGINX,
            "-t",
            "-q",
            "-e",
            str(tmp_path / "error.log"),
            "-p",
            str(tmp_path),
            "-c",
            str(conf),
        ],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr


def test_the_pages_are_served_from_the_same_origin(gateway: gatewayctl.Gateway) -> None:
    root = httpx.get(f"{gateway.url}/", timeout=10)
    assert root.status_code == 302 and root.headers["location"].endswith("/portal/")
    for page in ("/portal/", "/portal/xac-thuc.html", "/console/"):
        answer = httpx.get(f"{gateway.url}{page}", timeout=10)
        assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/html")
        assert '<html lang="vi">' in answer.text
        assert "<script>" not in answer.text  # modules from files only: the CSP allows no other
    script = httpx.get(f"{gateway.url}/assets/api.js", timeout=10)
    assert script.headers["content-type"].startswith("application/javascript")


def test_every_page_has_its_sites_header_with_itself_marked_current(gateway: gatewayctl.Gateway) -> None:
    # The head, header and footer are written once in web/partials/ and included by nginx.
    in_menu = {"portal": ("index", "ho-so", "tra-cuu", "dang-ky"), "console": ("index", "bang-theo-doi")}
    for site, pages in in_menu.items():
        for page in pages:
            html = httpx.get(f"{gateway.url}/{site}/{page}.html", timeout=10).text
            assert html.startswith("<!doctype html>") and "<!--#" not in html
            assert f'<script type="module" src="{page}.js"></script>' in html
            assert '<main id="main">' in html and html.rstrip().endswith("</html>")
            current = f'<a href="{page}.html" aria-current="page">'
            assert html.count('aria-current="page"') == (0 if page == "dang-ky" else 1)
            assert page == "dang-ky" or current in html  # registering is not in the menu
    assert "— Cổng dịch vụ công Bộ Công an</title>" in httpx.get(f"{gateway.url}/portal/", timeout=10).text
    # The pieces themselves are not pages.
    assert httpx.get(f"{gateway.url}/partials/bottom.html", timeout=10).status_code == 404


def test_a_service_that_does_not_answer_is_a_vietnamese_503(tmp_path: Path) -> None:
    nowhere = {name: 19560 + i for i, name in enumerate(gatewayctl.SERVICES)}  # nothing listens
    settings = gatewayctl.development_settings(nowhere, GATEWAY_PORT + 20, tmp_path)
    with gatewayctl.Gateway(settings) as gateway:
        answer = httpx.get(f"{gateway.url}/api/catalog/v1/procedures", timeout=10)
    assert answer.status_code == 503 and answer.headers["retry-after"] == "10"
    assert answer.json()["code"] == "unavailable"
