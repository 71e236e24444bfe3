"""The rules an auditor checks on every dossier, and the tamper evidence of every topic.

Each finding names the dossier (code, or id when no code is known) and the event concerned."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from uuid import UUID

from dvc_contracts import Envelope
from dvc_contracts.integrity import verify
from dvc_contracts.payment import ONLINE_METHODS
from dvc_contracts.timeline import DECIDED, fold

from .progress import Progress
from .replay import Record
from .spool import Spool

DECISIONS = frozenset({"Approved", "Refused"})
PAID = "FeePaid"
REFUNDS = frozenset({"Refunded", "FeeRefunded"})
REASONED = ("RejectedWithReason", "Refused")


@dataclass(frozen=True)
class Finding:
    rule: str
    dossier: str
    event_id: UUID | None
    detail: str

    def __str__(self) -> str:
        return f"[{self.rule}] dossier {self.dossier}, event {self.event_id}: {self.detail}"


Placed = tuple[int, Finding]  # a finding and the position of the event it names


def check_dossier(dossier_id: str, envelopes: list[Envelope]) -> list[Finding]:
    """The lifecycle rules, over one dossier's events in causal order: the findings in the order
    of the events they name, a fee's before a decision's on the same event; an unanswered breach
    last."""
    code = next(
        (str(e.payload["dossier_code"]) for e in envelopes if e.payload.get("dossier_code")), dossier_id
    )
    # Each concern is one pass; sorted() is stable and findings are few.
    placed = sorted(
        [*_fee_findings(code, envelopes), *_decision_findings(code, envelopes)], key=lambda found: found[0]
    )
    return [finding for _, finding in placed] + _breach_findings(code, envelopes)


def _fee_findings(code: str, envelopes: list[Envelope]) -> Iterator[Placed]:
    """No more refunded than paid, no fee paid twice with no refund between, and a fee to pay
    online (level 4) paid before the result is issued."""
    paid = 0  # payments not refunded
    due_online = 0
    paid_vnd = refunded_vnd = 0
    for at, e in enumerate(envelopes):
        kind, p = e.event_type, e.payload
        if kind == "FeeAssessed":
            due_online = int(p["amount_vnd"]) if ONLINE_METHODS & set(p.get("methods") or []) else 0
        elif kind == PAID:
            paid_vnd += int(p["amount_vnd"])
            paid += 1
            if paid > 1:
                yield at, Finding("paid_twice", code, e.event_id, "a fee paid again with no refund between")
        elif kind in REFUNDS:
            refunded_vnd += int(p["amount_vnd"])
            paid = max(0, paid - 1)
            if refunded_vnd > paid_vnd:
                yield at, Finding("refund_without_payment", code, e.event_id, "more refunded than was paid")
        elif kind == "ResultIssued" and paid_vnd - refunded_vnd < due_online:
            unpaid = due_online - paid_vnd + refunded_vnd
            detail = f"a level-4 result with {unpaid} VND of its fee unpaid"
            yield at, Finding("result_before_fee_paid", code, e.event_id, detail)


def _decision_findings(code: str, envelopes: list[Envelope]) -> Iterator[Placed]:
    """A result follows a decision; a refusal gives its reason, legal basis and explanation."""
    decided = False
    for at, e in enumerate(envelopes):
        kind, p = e.event_type, e.payload
        if kind in DECISIONS:
            decided = True
        if kind == "ResultIssued" and not decided:
            detail = "a result with no decision before it"
            yield at, Finding("result_without_decision", code, e.event_id, detail)
        if kind in REASONED:
            missing = [
                k for k in ("reason_code", "legal_basis", "explanation") if not str(p.get(k) or "").strip()
            ]
            if missing:
                yield at, Finding("reason_missing", code, e.event_id, f"{kind} without {', '.join(missing)}")


def _breach_findings(code: str, envelopes: list[Envelope]) -> list[Finding]:
    """A breached deadline is apologised for, unless the dossier is decided."""
    open_breach: Envelope | None = None
    for e in envelopes:
        if e.event_type == "DeadlineBreached":
            open_breach = open_breach or e
        elif e.event_type == "ApologyIssued":
            open_breach = None
    state = fold(envelopes)
    if open_breach is not None and not (state is not None and state.status in DECIDED):
        return [
            Finding("breach_without_apology", code, open_breach.event_id, "deadline breached, no apology yet")
        ]
    return []


def check_integrity(topics: dict[str, list[Record]]) -> list[Finding]:
    """The hash chains of every topic read; a finding names the record's topic and offset.

    A relay may publish an event twice after a crash: an identical copy is no finding (and
    `read_topics` drops it). Another event under an id already seen is: its content differs
    from what the id first stood for."""
    found: list[Finding] = []
    first: dict[UUID, Record] = {}
    for records in topics.values():
        kept: list[Record] = []
        for record in records:
            earlier = first.setdefault(record.envelope.event_id, record)
            if earlier is not record and earlier.envelope == record.envelope:
                continue
            kept.append(record)
            if earlier is not record:
                found.append(conflicting_copy(record, earlier))
        found += chain_findings(kept)
    return found


def conflicting_copy(record: Record, earlier: Record) -> Finding:
    return Finding(
        "tamper_conflicting_copy",
        _dossier(record),
        record.envelope.event_id,
        f"{_where(record)}: the id of the event at {_where(earlier)}, other content",
    )


def chain_findings(records: list[Record]) -> list[Finding]:
    """The breaks of the hash chains in `records` (one topic's, in log order)."""
    found: list[Finding] = []
    for problem in verify(r.envelope for r in records):
        record = records[problem.position]
        found.append(
            Finding(
                f"tamper_{problem.problem}",
                _dossier(record, problem.subject),
                problem.event_id,
                f"{_where(record)}: {problem.detail}",
            )
        )
    return found


def _where(record: Record) -> str:
    return f"{record.topic}[{record.partition}]@{record.offset}"


def _dossier(record: Record, subject: str | None = None) -> str:
    return str(record.envelope.payload.get("dossier_code") or subject or record.envelope.subject)


def check_all(events: dict[str, list[Envelope]], topics: dict[str, list[Record]]) -> Iterable[Finding]:
    for dossier_id, envelopes in events.items():
        yield from check_dossier(dossier_id, envelopes)
    yield from check_integrity(topics)


def check_spool(spool: Spool, progress: bool = True) -> Iterator[Finding]:
    """`check_all` over a spooled replay: one dossier, then one hash chain, at a time."""
    shown = Progress("checking dossiers", spool.dossier_count(), unit="dossiers") if progress else None
    for dossier_id, envelopes in spool.dossiers():
        yield from check_dossier(dossier_id, envelopes)
        if shown is not None:
            shown.advance(1)
    if shown is not None:
        shown.finish()
    for record, earlier in spool.conflicts:
        yield conflicting_copy(record, earlier)
    shown = Progress("checking hash chains", spool.count) if progress else None
    for chain in spool.chains():
        yield from chain_findings(chain)
        if shown is not None:
            shown.advance(len(chain))
    if shown is not None:
        shown.finish()
