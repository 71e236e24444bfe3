"""A dossier's public history told from processing's store: the consumed events that made it
act (kept as `cause`) and the events it published, as the same envelopes the topics carry."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any
from uuid import UUID

from dvc_contracts import Envelope
from dvc_kernel.envelopes import HashChain

from .domain.case import Case
from .translation import TRANSLATIONS, translate

# Events that only keep what another service said: their cause is the history.
NOTES = (Case.FeeNoted, Case.DeliveryNoted)


class Timelines:
    def __init__(self, history: Any) -> None:
        # Same hash chain as the relay's, so envelopes here equal those on the topic.
        self._chain = HashChain(translate, "processing", history)

    def envelopes(self, events: Iterable[Any]) -> Iterator[Envelope]:
        for event in events:
            if type(event) not in TRANSLATIONS and not isinstance(event, NOTES):
                continue  # not the dossier's own history (index, lodging notices, complaints)
            cause = getattr(event, "cause", None)
            if cause:
                yield Envelope.model_validate(cause)
            out = translate(event)
            if out is not None:
                yield self._chain.envelope(event, out)


def history_of(app: Any) -> Any:
    def history(originator: UUID, up_to_version: int) -> list[Any]:
        return list(app.events.get(originator, lte=up_to_version)) if up_to_version >= 1 else []

    return history
