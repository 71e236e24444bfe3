"""The daily reconciliation: our record of money moved against the channel's list for the day.

Lines are matched by (channel, kind, order reference). A line only we have was not settled by
the channel (or is not on its list yet); a line only the channel has is money we never
recorded; a matched line with different amounts is a mismatch. The day balances when there are
no differences and both totals agree.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import date, datetime


@dataclass(frozen=True)
class Movement:
    """One line of money moved: as this store recorded it, or on a channel's list for the day."""

    channel: str  # gateway | vietqr
    kind: str  # payment | refund
    txn_ref: str
    transaction_ref: str
    amount_vnd: int
    at: datetime

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.channel, self.kind, self.txn_ref)

    @property
    def signed(self) -> int:
        return -self.amount_vnd if self.kind == "refund" else self.amount_vnd


@dataclass(frozen=True)
class Mismatch:
    ours: Movement
    theirs: Movement


@dataclass
class Report:
    day: date
    matched: list[Movement] = field(default_factory=list)
    missing_ours: list[Movement] = field(default_factory=list)  # at the channel, not recorded by us
    missing_gateway: list[Movement] = field(default_factory=list)  # recorded by us, not at the channel
    amount_mismatches: list[Mismatch] = field(default_factory=list)
    counter_total_vnd: int = 0  # cash at the units' counters: not on any channel's list

    @property
    def our_total_vnd(self) -> int:
        lines = [*self.matched, *self.missing_gateway, *(m.ours for m in self.amount_mismatches)]
        return sum(m.signed for m in lines)

    @property
    def gateway_total_vnd(self) -> int:
        lines = [*self.matched, *self.missing_ours, *(m.theirs for m in self.amount_mismatches)]
        return sum(m.signed for m in lines)

    @property
    def balanced(self) -> bool:
        return (
            not self.missing_ours
            and not self.missing_gateway
            and not self.amount_mismatches
            and self.our_total_vnd == self.gateway_total_vnd
        )

    def as_dict(self) -> dict[str, object]:
        def lines(items: Iterable[Movement]) -> list[dict[str, object]]:
            return [{**asdict(m), "at": m.at.isoformat()} for m in items]

        return {
            "day": self.day.isoformat(),
            "balanced": self.balanced,
            "totals": {
                "ours_vnd": self.our_total_vnd,
                "gateway_vnd": self.gateway_total_vnd,
                "counter_vnd": self.counter_total_vnd,
                "matched": len(self.matched),
                "differences": len(self.missing_ours)
                + len(self.missing_gateway)
                + len(self.amount_mismatches),
            },
            "matched": lines(self.matched),
            "missing_ours": lines(self.missing_ours),
            "missing_gateway": lines(self.missing_gateway),
            "amount_mismatches": [
                {"ours": lines([m.ours])[0], "gateway": lines([m.theirs])[0]} for m in self.amount_mismatches
            ],
        }

    def as_csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(
            [
                "status",
                "channel",
                "kind",
                "txn_ref",
                "transaction_ref",
                "our_amount_vnd",
                "gateway_amount_vnd",
                "at",
            ]
        )
        for m in self.matched:
            writer.writerow(
                [
                    "matched",
                    m.channel,
                    m.kind,
                    m.txn_ref,
                    m.transaction_ref,
                    m.amount_vnd,
                    m.amount_vnd,
                    _t(m),
                ]
            )
        for m in self.missing_ours:
            writer.writerow(
                ["missing_ours", m.channel, m.kind, m.txn_ref, m.transaction_ref, "", m.amount_vnd, _t(m)]
            )
        for m in self.missing_gateway:
            writer.writerow(
                ["missing_gateway", m.channel, m.kind, m.txn_ref, m.transaction_ref, m.amount_vnd, "", _t(m)]
            )
        for x in self.amount_mismatches:
            o, t = x.ours, x.theirs
            writer.writerow(
                [
                    "amount_mismatch",
                    o.channel,
                    o.kind,
                    o.txn_ref,
                    t.transaction_ref,
                    o.amount_vnd,
                    t.amount_vnd,
                    _t(o),
                ]
            )
        writer.writerow(["total", "", "", "", "", self.our_total_vnd, self.gateway_total_vnd, ""])
        writer.writerow(["balanced", "", "", "", "", "yes" if self.balanced else "no", "", ""])
        return out.getvalue()


def _t(m: Movement) -> str:
    return m.at.isoformat()


def reconcile(day: date, ours: Iterable[Movement], theirs: Iterable[Movement]) -> Report:
    report = Report(day)
    online = []
    for movement in ours:
        if movement.channel == "counter":
            report.counter_total_vnd += movement.signed
        else:
            online.append(movement)
    pending = {m.key: m for m in theirs}
    for mine in sorted(online, key=lambda m: (m.at, m.txn_ref)):
        other = pending.pop(mine.key, None)
        if other is None:
            report.missing_gateway.append(mine)
        elif other.amount_vnd != mine.amount_vnd:
            report.amount_mismatches.append(Mismatch(mine, other))
        else:
            report.matched.append(mine)
    report.missing_ours.extend(sorted(pending.values(), key=lambda m: (m.at, m.txn_ref)))
    return report
