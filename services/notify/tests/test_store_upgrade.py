"""A store written before ADR 0018 listed an account's dossiers in one `Mailbox` aggregate;
after the upgrade the citizen's inbox still shows every message."""

from __future__ import annotations

from uuid import uuid4

from dvc_notify.domain.mailbox import MAILBOX, Mailbox

from .conftest import Notify


def test_each_mailbox_becomes_lookup_rows_once(notify: Notify) -> None:
    first, second = uuid4(), uuid4()
    mailbox = Mailbox(id=Mailbox.id_for("account-hoa"), owner_account="account-hoa")
    mailbox.add(first)
    mailbox.add(second)
    notify.app.save(mailbox)  # as notify before ADR 0018 recorded it

    assert notify.app.migrate_mailboxes() == 1
    assert notify.app.migrate_mailboxes() == 0

    assert set(notify.app.lookup(MAILBOX, "account-hoa")) == {str(first), str(second)}
