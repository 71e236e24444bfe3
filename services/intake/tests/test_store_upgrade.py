"""A store written before ADR 0018 listed what an account filed in one `Portfolio` aggregate;
after the upgrade the same dossiers, notices and uploads are the account's."""

from __future__ import annotations

from uuid import uuid4

from dvc_intake.application import IntakeApplication
from dvc_intake.application.base import DOSSIERS, NOTICES
from dvc_intake.domain.portfolio import Portfolio


def test_each_portfolio_becomes_lookup_rows_and_owned_files_once(app: IntakeApplication) -> None:
    dossier, notice, sha = uuid4(), uuid4(), "ab" * 32
    portfolio = Portfolio(id=Portfolio.id_for("account-hoa"), owner="account-hoa")
    portfolio.add_dossier(dossier)
    portfolio.add_notice(notice)
    portfolio.add_file(sha, "application/pdf", 1234)
    app.save(portfolio)  # as intake before ADR 0018 recorded it

    assert app.migrate_portfolios() == 1
    assert app.migrate_portfolios() == 0  # once per store

    assert app.owned_ids(DOSSIERS, "account-hoa") == [dossier]
    assert app.owned_ids(NOTICES, "account-hoa") == [notice]
    owned = app.owned_file("account-hoa", sha)
    assert owned is not None and (owned.media_type, owned.size) == ("application/pdf", 1234)
    assert app.owned_file("account-stranger", sha) is None
