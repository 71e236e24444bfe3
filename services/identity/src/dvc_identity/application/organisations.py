"""Organisations register with their tax code; the legal representative is a registered citizen."""

from __future__ import annotations

import unicodedata
from uuid import UUID, uuid4

from eventsourcing.persistence import IntegrityError

from dvc_kernel.meta import CommandMeta
from dvc_kernel.refusal import Kind

from ..domain.accounts import CitizenAccount
from ..domain.indexes import IndexKind
from ..domain.organisations import OrganisationAccount
from ..domain.refusal import Refusal
from ..domain.tax_code import check_tax_code
from .base import IdentityBase
from .errors import refused

ALREADY_REGISTERED = Refusal(
    "organisation.already_registered", "Mã số thuế này đã được đăng ký tài khoản tổ chức."
)
NOT_A_CITIZEN = Refusal(
    "organisation.representative_not_citizen",
    "Người đại diện theo pháp luật phải có tài khoản công dân đã đăng ký.",
)
NO_NAME = Refusal("organisation.no_name", "Vui lòng nhập tên tổ chức.")


class OrganisationCommands(IdentityBase):
    def register_organisation(
        self, representative_id: UUID, tax_code: str, name: str, meta: CommandMeta
    ) -> OrganisationAccount:
        """The caller, a registered citizen, registers the organisation they legally represent."""
        code = check_tax_code(tax_code)
        clean_name = " ".join(unicodedata.normalize("NFC", name).split())
        if not clean_name:
            raise refused(NO_NAME)
        if self.find(CitizenAccount, representative_id) is None:
            raise refused(NOT_A_CITIZEN, Kind.FORBIDDEN)
        if self.indexed(IndexKind.TAX_CODE, code) is not None:
            raise refused(ALREADY_REGISTERED, Kind.CONFLICT)
        organisation = OrganisationAccount(
            id=uuid4(),
            tax_code=code,
            name=clean_name,
            representative_id=representative_id,
            registered_at=self.clock.now(),
            meta=meta.as_dict(),
        )
        try:
            self.save(organisation, self.claim(IndexKind.TAX_CODE, code, organisation.id))
        except IntegrityError:
            raise refused(ALREADY_REGISTERED, Kind.CONFLICT) from None
        return organisation
