"""Where a dossier stands, as intake tells the citizen: its statuses and their Vietnamese
labels, and which of them mean decided or still in handling."""

from __future__ import annotations

from dvc_contracts.status import DossierStatus as Status  # the values, named once for every service

STATUS_LABELS = {
    Status.DRAFT: "Hồ sơ nháp, chưa nộp",
    Status.SUBMITTED: "Đã nộp, chờ tiếp nhận",
    Status.RECEIVED: "Đã tiếp nhận, chờ kiểm tra",
    Status.ACCEPTED: "Đang giải quyết",
    Status.SUPPLEMENT_REQUESTED: "Cần bổ sung hồ sơ",
    Status.RESUBMITTED: "Đã bổ sung, chờ tiếp nhận",
    Status.APPROVED: "Đã phê duyệt, đang trả kết quả",
    Status.REFUSED: "Không giải quyết",
    Status.REJECTED: "Từ chối tiếp nhận",
    Status.RESULT_ISSUED: "Đã có kết quả",
    Status.WITHDRAWN: "Đã rút hồ sơ",
}
DECIDED = frozenset({Status.APPROVED, Status.REFUSED, Status.REJECTED, Status.RESULT_ISSUED})
# Statuses a non-deciding report from processing may move the dossier between.
IN_HANDLING = frozenset({Status.SUBMITTED, Status.RECEIVED, Status.ACCEPTED, Status.RESUBMITTED})
