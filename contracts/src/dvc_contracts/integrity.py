"""Tamper evidence: checking the per-aggregate hash chain of a sequence of envelopes.

Every envelope carries `hash` (SHA-256 of its canonical JSON without `hash`) and `prev_hash`
(the `hash` of the previous public event of the same aggregate, null for the first). Given a
log in its stored order (a topic's records in offset order, or a store's events), `verify`
names every event that breaks the chain and says how:

- **altered**: the event's content no longer gives its own `hash` (edited in place).
- **deleted**: an event's `prev_hash` names a hash found nowhere in the log: its predecessor is
  gone (or was altered and re-sealed, which the chain cannot tell from a deletion; the event
  named is the one left pointing at the hole).
- **inserted**: two events claim the same predecessor and nobody chains to this one while the
  other carries the chain on; or a second event claims to be the first (null `prev_hash`).
- **reordered**: an event's `prev_hash` names an event that comes *after* it in the log.
- **version**: `aggregate_version` does not increase along the chain.

Chains are per aggregate, and one aggregate publishes to one topic: verify one topic (or one
store's events of one topic) at a time. Truncating the tail of a chain leaves no trace in the
chain itself; comparing a topic with the producer's store (`dvc-audit compare`) catches that.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal
from uuid import UUID

from .envelope import Envelope

Problem = Literal["altered", "deleted", "inserted", "reordered", "version"]


@dataclass(frozen=True)
class Finding:
    """One broken link: which event, of which aggregate, where in the log, and what is wrong."""

    problem: Problem
    event_id: UUID
    subject: str
    position: int  # index in the sequence given to `verify` (an offset order, not an offset)
    detail: str

    def __str__(self) -> str:
        where = f"event {self.event_id} of {self.subject} at position {self.position}"
        return f"{self.problem}: {where}: {self.detail}"


def verify(envelopes: Iterable[Envelope]) -> list[Finding]:
    """Every break of the hash chains in `envelopes` (empty when the log is intact)."""
    by_subject: dict[str, list[tuple[int, Envelope]]] = defaultdict(list)
    for position, envelope in enumerate(envelopes):
        by_subject[envelope.subject].append((position, envelope))
    findings: list[Finding] = []
    for subject, chain in by_subject.items():
        findings += _verify_subject(subject, chain)
    return sorted(findings, key=lambda f: f.position)


def _verify_subject(subject: str, chain: list[tuple[int, Envelope]]) -> list[Finding]:
    found: list[Finding] = []

    def report(problem: Problem, index: int, detail: str) -> None:
        position, envelope = chain[index]
        found.append(Finding(problem, envelope.event_id, subject, position, detail))

    where = {envelope.hash: i for i, (_, envelope) in reversed(list(enumerate(chain)))}
    children: dict[str | None, list[int]] = defaultdict(list)
    for i, (_, envelope) in enumerate(chain):
        children[envelope.prev_hash].append(i)

    for i, (_, envelope) in enumerate(chain):
        if envelope.computed_hash() != envelope.hash:
            report("altered", i, "its content does not give its recorded hash")
        prev = envelope.prev_hash
        j = where.get(prev) if prev is not None else None
        if prev is None:
            pass  # claims to be the first: only a second such claim is suspect (below)
        elif j is None:
            report("deleted", i, f"its predecessor (hash {prev[:12]}…) is not in the log")
        elif j > i:
            report("reordered", i, f"its predecessor {chain[j][1].event_id} comes after it in the log")
        elif chain[j][1].aggregate_version >= envelope.aggregate_version:
            report(
                "version",
                i,
                f"version {envelope.aggregate_version} after version {chain[j][1].aggregate_version}",
            )
        siblings = children[prev]
        if len(siblings) > 1 and not children.get(envelope.hash):
            carried_on = [s for s in siblings if s != i and children.get(chain[s][1].hash)]
            # Two dead ends on one predecessor: the later one is the odd one out.
            if carried_on or i == max(siblings):
                what = "a first event" if prev is None else "its predecessor"
                report("inserted", i, f"shares {what} with another event and nobody chains to it")
    return found
