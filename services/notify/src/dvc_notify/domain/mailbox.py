"""Which dossiers' messages belong to one account: the key of the citizen's inbox.

Lookup rows `(MAILBOX, account, dossier id)` hold it (ADR 0018). The `Mailbox` aggregate that
held it before grew with every dossier of the account; it stays so older stores can be read
and migrated (`NotifyApplication.migrate_mailboxes`)."""

from __future__ import annotations

from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

_NS = uuid5(NAMESPACE_URL, "https://dichvucong.bocongan.gov.vn/notify/mailbox")
MAILBOX = "mailbox"


class Mailbox(Aggregate):
    @staticmethod
    def id_for(owner_account: str) -> UUID:
        return uuid5(_NS, owner_account)

    @event("Opened")
    def __init__(self, id: UUID, owner_account: str) -> None:
        self.owner_account = owner_account
        self.dossiers: list[str] = []

    def add(self, dossier_id: UUID) -> None:
        if str(dossier_id) not in self.dossiers:
            self._added(dossier_id=str(dossier_id))

    @event("DossierAdded")
    def _added(self, dossier_id: str) -> None:
        self.dossiers.append(dossier_id)


class MailboxesMigrated(Aggregate):
    ID = uuid5(_NS, "migrated")

    @event("Done")
    def __init__(self, id: UUID) -> None:
        pass
