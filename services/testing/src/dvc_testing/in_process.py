"""The seven services built in the test process, as their `main.build()` makes them, for the
suites that call every service's HTTP side without a broker (access matrix, hostile input,
revocation, Schemathesis)."""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping
from contextlib import contextmanager

import pytest
from fastapi import FastAPI

from dvc_contracts.services import DEFAULT_PORTS as SERVICES
from dvc_testing.tokens import TestTokens

# As in production, notify sends through a provider; it is never reached from these tests.
SMS_PROVIDER = {"SMS_PROVIDER_URL": "https://sms-provider.invalid", "SMS_PROVIDER_API_KEY": "khoa-thu-nghiem"}


@contextmanager
def environment(values: Mapping[str, str], unset: tuple[str, ...] = ()) -> Iterator[None]:
    """`values` set and `unset` removed in os.environ while the block runs, then restored."""
    with pytest.MonkeyPatch.context() as env:
        for name in unset:
            env.delenv(name, raising=False)
        for name, value in values.items():
            env.setenv(name, value)
        yield


@contextmanager
def built_services(tokens: TestTokens) -> Iterator[dict[str, FastAPI]]:
    """Every service's application, built from the current environment, checking `tokens`'
    signatures instead of fetching identity's key set; their stores closed afterwards."""
    built = {name: importlib.import_module(f"dvc_{name}.main").build() for name in SERVICES}
    for app in built.values():
        app.state.token_verifier = tokens.verifier()
    try:
        yield built
    finally:
        for app in built.values():
            app.state.runtime.app.close()
