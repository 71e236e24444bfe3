"""The merchant's credentials: production sets them in the environment; in development (unset
or blank) both payment and the simulator read the same generated files."""

from __future__ import annotations

from pathlib import Path

import pytest

from dvc_payment.adapters.credentials import merchant_credentials


def test_unset_or_blank_credentials_come_from_the_shared_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PAYMENT_VNP_TMN_CODE", raising=False)
    monkeypatch.setenv("PAYMENT_VNP_HASH_SECRET", "  ")
    monkeypatch.delenv("PAYMENT_BANK_WEBHOOK_SECRET", raising=False)
    first = merchant_credentials(tmp_path)
    assert first == merchant_credentials(tmp_path)  # the second process reads what the first made
    assert first.tmn_code.startswith("DVC") and len(first.tmn_code) == 8
    assert (tmp_path / "payment-gateway" / "hash-secret").read_text().strip() == first.hash_secret


def test_configured_credentials_win_over_the_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    merchant_credentials(tmp_path)
    monkeypatch.setenv("PAYMENT_VNP_TMN_CODE", " DVCPROD1 ")
    monkeypatch.setenv("PAYMENT_VNP_HASH_SECRET", "S3CRET")
    monkeypatch.setenv("PAYMENT_BANK_WEBHOOK_SECRET", "bank-key")
    configured = merchant_credentials(tmp_path)
    assert (configured.tmn_code, configured.hash_secret, configured.bank_webhook_secret) == (
        "DVCPROD1",
        "S3CRET",
        "bank-key",
    )
