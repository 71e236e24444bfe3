"""Each service's API documentation works with no internet: Swagger UI's files come from the
service itself, the page has no inline script (the gateway's CSP), and its addresses are
relative, so it works on the service's port and behind the gateway's /api/<service>/ alike."""

from __future__ import annotations

import re

from fastapi import FastAPI
from fastapi.testclient import TestClient

from dvc_kernel import docs_ui


def app() -> FastAPI:
    http = FastAPI(title="Notes", docs_url=None, redoc_url=None)
    docs_ui.install(http, "Notes")
    return http


def test_the_docs_page_loads_nothing_from_outside_and_has_no_inline_script() -> None:
    client = TestClient(app())
    page = client.get("/docs")
    assert page.status_code == 200
    sources = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert sources and all(s.startswith("docs-assets/") for s in sources)
    assert "<script>" not in page.text and "cdn" not in page.text.lower()
    for source in sources:
        asset = client.get(f"/{source}")
        assert asset.status_code == 200, source
        assert len(asset.content) > 100
    assert (
        client.get("/docs-assets/swagger-ui-bundle.js").headers["content-type"].startswith("text/javascript")
    )


def test_only_the_files_of_the_page_are_served() -> None:
    client = TestClient(app())
    assert client.get("/docs-assets/swagger-editor-bundle.js").status_code == 404
    assert client.get("/docs-assets/..%2F..%2F__init__.py").status_code == 404
