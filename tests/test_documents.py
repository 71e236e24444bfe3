"""The committed OpenAPI and AsyncAPI documents are what the code serves and publishes."""

from __future__ import annotations

from dvc_testing.apidocs import stale


def test_interface_documents_are_current() -> None:
    assert stale() == [], "docs are behind the code: run `make docs`"
