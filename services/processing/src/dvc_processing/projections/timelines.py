"""A dossier's public history told from processing's store: the consumed events that made it
act (kept as `cause`) and the events it published, as the same envelopes the topics carry."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any
from uuid import UUID

from dvc_contracts import Envelope
from dvc_contracts.envelope import trusted_envelope
from dvc_contracts.timeline import interleave
from dvc_kernel.envelopes import HashChain, unsealed

from ..translation import TRANSLATIONS, translate


class Timelines:
    def __init__(self, history: Any) -> None:
        # Same hash chain as the relay's, so envelopes here equal those on the topic.
        self._chain = HashChain(translate, "processing", history)

    def envelopes(self, events: Iterable[Any], *, sealed: bool = True) -> list[Envelope]:
        """The dossier's public events, interleaved as an auditor reading the topics would.
        `sealed=False`: without their hash chain, for folding only (the officers' board)."""
        streams: dict[str, list[Envelope]] = defaultdict(list)
        streams["processing"] = []  # first: its events place the others
        for event in events:
            if type(event) not in TRANSLATIONS:
                continue  # not the dossier's own history (index, lodging notices, complaints)
            cause = getattr(event, "cause", None)
            if cause:
                # Validated when consumed; kept as it came.
                consumed = Envelope.model_validate(cause) if sealed else trusted_envelope(cause)
                streams[consumed.producer].append(consumed)
            out = translate(event)
            if out is not None:
                ours = self._chain.envelope(event, out) if sealed else unsealed(event, out, "processing")
                streams["processing"].append(ours)
        return interleave(streams.values())


def history_of(app: Any) -> Any:
    def history(originator: UUID, up_to_version: int) -> list[Any]:
        return list(app.events.get(originator, lte=up_to_version)) if up_to_version >= 1 else []

    return history
