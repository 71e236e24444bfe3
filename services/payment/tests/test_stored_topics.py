"""Payment's stores hold each event under its class's topic: the classes stay where they were,
so a store written before the service took its present shape still loads."""

from __future__ import annotations

from uuid import uuid4

from eventsourcing.utils import get_topic

from dvc_payment.domain.fee import CallbackRefusal, Fee, Index

STORED = {
    Fee: "dvc_payment.domain.fee:Fee",
    Fee.Assessed: "dvc_payment.domain.fee:Fee.Assessed",
    Fee.PaymentStarted: "dvc_payment.domain.fee:Fee.PaymentStarted",
    Fee.PaymentFailed: "dvc_payment.domain.fee:Fee.PaymentFailed",
    Fee.Paid: "dvc_payment.domain.fee:Fee.Paid",
    Fee.PaidNotKept: "dvc_payment.domain.fee:Fee.PaidNotKept",
    Fee.Closed: "dvc_payment.domain.fee:Fee.Closed",
    Fee.Refunded: "dvc_payment.domain.fee:Fee.Refunded",
    Index: "dvc_payment.domain.fee:Index",
    CallbackRefusal: "dvc_payment.domain.fee:CallbackRefusal",
    CallbackRefusal.CallbackRefused: "dvc_payment.domain.fee:CallbackRefusal.CallbackRefused",
}


def test_every_stored_class_keeps_its_topic() -> None:
    assert {cls: get_topic(cls) for cls in STORED} == STORED


def test_an_index_is_stored_as_indexed() -> None:
    index = Index(id=uuid4(), name="261123-000001-X", dossier_id=uuid4())
    assert [get_topic(type(e)) for e in index.collect_events()] == ["dvc_payment.domain.fee:Index.Indexed"]
