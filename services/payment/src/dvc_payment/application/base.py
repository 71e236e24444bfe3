"""What every part of payment's application shares: its clock, its catalog replica, and finding
a fee by its dossier, its code or its order."""

from __future__ import annotations

from collections.abc import Iterator
from uuid import UUID

from eventsourcing.domain import DomainEventProtocol
from eventsourcing.utils import get_topic

from dvc_kernel.catalog_application import CatalogAwareApplication
from dvc_kernel.refusal import Kind, Refusal

from ..domain.fee import Fee, Index

CONFIRM_ATTEMPTS = 5  # a save that lost a race is judged again, this many times at most


def fee_not_found() -> Refusal:
    return Refusal("fee_not_found", "Không tìm thấy thông tin lệ phí của hồ sơ có mã này.", Kind.NOT_FOUND)


class PaymentBase(CatalogAwareApplication):
    subject_field = "dossier_id"  # events about a dossier may arrive before its Submitted

    def fee(self, dossier_id: UUID) -> Fee | None:
        return self.find(Fee, dossier_id)

    def _indexed(self, index_id: UUID) -> Fee | None:
        index = self.find(Index, index_id)
        return self.fee(index.dossier_id) if index is not None else None

    def fee_by_code(self, code: str) -> Fee | None:
        return self._indexed(Fee.code_index_id(code))

    def fee_by_order(self, txn_ref: str) -> Fee | None:
        return self._indexed(Fee.order_index_id(txn_ref))

    def _events_of(self, *classes: type) -> Iterator[DomainEventProtocol[UUID]]:
        topics = [get_topic(cls) for cls in classes]
        start = 1
        while True:
            batch = self.recorder.select_notifications(start, 500, topics=topics)
            for notification in batch:
                yield self.mapper.to_domain_event(notification)
            if len(batch) < 500:
                return
            start = batch[-1].id + 1
