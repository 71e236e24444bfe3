"""An application's name names its event store's tables and the tracking records other stores
keep of it: a refactor that renames it would leave every existing store behind, unread. Each
service keeps the name its stores were written under (intake's is its class name, as it always
was)."""

from __future__ import annotations

import pytest

from dvc_catalog.application import CatalogApplication
from dvc_delivery.application import DeliveryApplication
from dvc_identity.application import IdentityApplication
from dvc_intake.application import IntakeApplication
from dvc_notify.application import NotifyApplication
from dvc_payment.application import PaymentApplication
from dvc_processing.application import ProcessingApplication


@pytest.mark.parametrize(
    ("application", "store_name"),
    [
        (IdentityApplication, "identity"),
        (CatalogApplication, "catalog"),
        (IntakeApplication, "IntakeApplication"),
        (ProcessingApplication, "processing"),
        (PaymentApplication, "payment"),
        (DeliveryApplication, "delivery"),
        (NotifyApplication, "notify"),
    ],
)
def test_each_service_reads_the_store_it_wrote(application: type, store_name: str) -> None:
    assert application.name == store_name
