"""The e-result: a signed PDF kept on the aggregate; the owner's first download delivers it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from dvc_kernel.event_meta import EventMeta
from dvc_kernel.refusal import Kind, Refusal

from .state import AboutDossier, DeliveryState, Status


class EResult(DeliveryState):
    class DocumentSigned(AboutDossier):
        pdf_base64: str
        sha256: str
        verification_code: str
        unit_code: str | None
        unit_name: str
        signed_at: datetime
        meta: EventMeta

        def apply(self, aggregate: Any) -> None:
            aggregate.pdf_base64 = self.pdf_base64
            aggregate.sha256 = self.sha256
            aggregate.verification_code = self.verification_code
            aggregate.signed_by = self.unit_name
            aggregate.signed_at = self.signed_at
            aggregate.status = Status.E_RESULT_AVAILABLE

    class DocumentDownloaded(AboutDossier):
        at: datetime
        meta: EventMeta

        def apply(self, aggregate: Any) -> None:
            aggregate.downloaded_at = self.at
            aggregate.status = Status.DELIVERED

    def keep_signed_document(
        self,
        pdf_base64: str,
        sha256: str,
        verification_code: str,
        unit_name: str,
        at: datetime,
        meta: EventMeta,
    ) -> None:
        self.trigger_event(
            self.DocumentSigned,
            dossier_code=self.dossier_code,
            pdf_base64=pdf_base64,
            sha256=sha256,
            verification_code=verification_code,
            unit_code=self.unit_code,
            unit_name=unit_name,
            signed_at=at,
            meta=meta,
        )

    def note_download(self, by_owner: bool, at: datetime, meta: EventMeta) -> bool:
        """The owner's first download delivers the e-result; later ones and staff's change nothing."""
        if self.pdf_base64 is None:
            raise Refusal("no_e_result", "Hồ sơ này chưa có kết quả điện tử.", Kind.NOT_FOUND)
        if not by_owner or self.downloaded_at is not None:
            return False
        self.trigger_event(self.DocumentDownloaded, dossier_code=self.dossier_code, at=at, meta=meta)
        return True
