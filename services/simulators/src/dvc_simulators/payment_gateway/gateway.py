"""What every part of the payment gateway simulator shares: the merchant it serves, the bank
account behind its VietQR codes, and the ledger of what it has settled."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from dvc_kernel.clock import VIETNAM
from dvc_payment.adapters.credentials import MerchantCredentials

from .ledger import Ledger


@dataclass
class Gateway:
    credentials: MerchantCredentials
    merchant_url: str  # without a trailing slash
    ledger: Ledger
    bank_bin: str
    bank_account: str

    @property
    def secret(self) -> str:
        return self.credentials.hash_secret

    @staticmethod
    def now() -> datetime:
        return datetime.now(VIETNAM)
