"""Domain errors, each with a machine-readable code and a Vietnamese message for citizens:
refusals of the kernel's kinds (`not_found` unless said otherwise), so one HTTP mapping
answers them as it answers every service's."""

from __future__ import annotations

from datetime import date

from dvc_kernel.refusal import Kind, Refusal


class CatalogError(Refusal, LookupError):
    code: str = "catalog_error"
    kind = Kind.NOT_FOUND

    def __init__(self, message: str) -> None:
        super().__init__(type(self).code, message)


class ProcedureNotFound(CatalogError):
    code = "procedure_not_found"

    def __init__(self, procedure_code: str) -> None:
        super().__init__(f"Không tìm thấy thủ tục hành chính có mã «{procedure_code}».")
        self.procedure_code = procedure_code


class VersionNotFound(CatalogError):
    code = "procedure_version_not_found"

    def __init__(self, procedure_code: str, *, number: int | None = None, at: date | None = None):
        if number is not None:
            text = f"Thủ tục «{procedure_code}» không có phiên bản số {number}."
        else:
            when = f"{at:%d/%m/%Y}" if at is not None else "thời điểm được hỏi"
            text = f"Thủ tục «{procedure_code}» chưa có phiên bản nào có hiệu lực vào ngày {when}."
        super().__init__(text)
        self.procedure_code = procedure_code


class UnitNotFound(CatalogError):
    code = "unit_not_found"

    def __init__(self, unit_code: str) -> None:
        super().__init__(f"Không tìm thấy đơn vị Công an có mã «{unit_code}».")


class WardNotFound(CatalogError):
    code = "ward_not_found"

    def __init__(self, ward_code: str) -> None:
        super().__init__(
            f"Không tìm thấy xã, phường, đặc khu có mã «{ward_code}» trong danh mục hành chính hiện hành."
        )


class FeeCaseNotFound(CatalogError):
    """The procedure is known, but the case asked for (or its absence) does not name a fee."""

    code = "fee_case_not_found"
    kind = Kind.INVALID

    def __init__(self, procedure_code: str, case: str | None) -> None:
        if case is None:
            text = f"Thủ tục «{procedure_code}» có nhiều mức lệ phí; cần chọn trường hợp áp dụng."
        else:
            text = f"Thủ tục «{procedure_code}» không có trường hợp thu lệ phí «{case}»."
        super().__init__(text)
