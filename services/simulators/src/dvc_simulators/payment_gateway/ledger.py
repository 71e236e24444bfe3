"""The simulator's books: orders opened on the payment page, settled transactions, refunds and
bank transfers. Settled lines are appended to a journal file so a restarted simulator still
lists the day's transactions for reconciliation."""

from __future__ import annotations

import json
import threading
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from pathlib import Path

from dvc_kernel.clock import VIETNAM


@dataclass
class SimOrder:
    txn_ref: str
    amount_minor: int  # ×100, as VNPAY carries it
    info: str
    return_url: str
    created: str
    status: str = "pending"  # pending | paid | cancelled
    transaction_no: str = ""
    pay_date: str = ""
    result: dict[str, str] = field(default_factory=dict)  # the signed result sent to the merchant


@dataclass(frozen=True)
class Line:
    """One settled movement of money, as the settlement list shows it."""

    channel: str  # gateway | vietqr
    kind: str  # payment | refund
    txn_ref: str
    transaction_no: str
    amount_minor: int
    at: str  # ISO instant

    def day(self) -> date:
        return datetime.fromisoformat(self.at).astimezone(VIETNAM).date()


@dataclass
class Transfer:
    transaction_id: str
    account_no: str
    amount: int
    description: str
    transferred_at: str
    refunded: int = 0


class Ledger:
    def __init__(self, journal: Path) -> None:
        self.journal = journal
        self.orders: dict[str, SimOrder] = {}
        self.lines: list[Line] = []
        self.transfers: dict[str, Transfer] = {}
        self.refund_replies: dict[str, dict[str, str]] = {}  # request id -> reply, for retries
        self.bank_refunds: dict[str, dict[str, object]] = {}
        self._lock = threading.Lock()
        self._sequence = 14_000_000
        journal.parent.mkdir(parents=True, exist_ok=True)
        if journal.exists():
            for raw in journal.read_text(encoding="utf-8").splitlines():
                if raw.strip():
                    self.lines.append(Line(**json.loads(raw)))
            self._sequence += len(self.lines)

    def next_number(self) -> str:
        with self._lock:
            self._sequence += 1
            return str(self._sequence)

    def settle(self, line: Line) -> None:
        with self._lock:
            self.lines.append(line)
            with self.journal.open("a", encoding="utf-8") as out:
                out.write(json.dumps(asdict(line), ensure_ascii=False) + "\n")

    def refunded_minor(self, channel: str, txn_ref: str) -> int:
        return sum(
            x.amount_minor
            for x in self.lines
            if x.channel == channel and x.kind == "refund" and x.txn_ref == txn_ref
        )

    def of_day(self, day: date) -> list[Line]:
        return [line for line in self.lines if line.day() == day]
