"""`python -c "from dvc_simulators.payment_gateway.main import run; run()"`: the simulator process.

It listens on `PAYMENT_GATEWAY_SIM_PORT` (8111), notifies the merchant at `PAYMENT_URL`, and
shares the merchant credentials with payment through `DVC_DATA_DIR` (or the environment)."""

from __future__ import annotations

from fastapi import FastAPI
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from dvc_payment.adapters.credentials import DIRECTORY
from dvc_payment.settings import PaymentSettings

from ..callers import serve
from .app import create_app
from .ledger import Ledger

DEFAULT_PORT = 8111


class SimulatorSettings(BaseSettings):
    model_config = SettingsConfigDict(extra="ignore")

    port: int = Field(DEFAULT_PORT, ge=1, le=65535, validation_alias="PAYMENT_GATEWAY_SIM_PORT")


def build(settings: PaymentSettings | None = None) -> FastAPI:
    settings = settings or PaymentSettings()
    ledger = Ledger(settings.data_dir / DIRECTORY / "simulator-journal.jsonl")
    return create_app(
        settings.credentials(), settings.base_url, ledger, settings.vietqr_bin, settings.vietqr_account
    )


def run() -> None:
    serve(build(), "127.0.0.1", SimulatorSettings().port)
