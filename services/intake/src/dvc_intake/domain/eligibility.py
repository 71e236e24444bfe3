"""Whether a procedure version can be filed online, and with the result delivery chosen.

Decree 43/2011 Art. 3: levels 1 and 2 only inform and offer forms to download, so a dossier is
filed online only for level 3 (submitted and handled online) and level 4 (also paid and
delivered online). The result can only go the ways the procedure allows; at level 3 the fee
is paid and the result collected at the office, where the originals are checked (the portal's
rule for level 3), so the result is picked up whatever else the procedure lists.
"""

from __future__ import annotations

from collections.abc import Collection

from .refusal import Refusal

MODE_NAMES = {
    "e_result": "nhận kết quả điện tử",
    "post": "nhận qua bưu chính công ích",
    "pickup": "nhận trực tiếp tại cơ quan",
}


def online_filing_refusal(level: int, allowed_modes: Collection[str], chosen_mode: str) -> Refusal | None:
    if level < 3:
        return Refusal(
            "procedure_not_online",
            f"Thủ tục này là dịch vụ công mức độ {level}: chưa nộp hồ sơ trực tuyến được. "
            "Vui lòng tải biểu mẫu và nộp hồ sơ tại cơ quan công an hoặc qua bưu chính.",
        )
    if level == 3 and chosen_mode != "pickup":
        return Refusal(
            "level3_result_at_office",
            "Thủ tục này là dịch vụ công mức độ 3: lệ phí được nộp và kết quả được nhận trực tiếp "
            "tại cơ quan giải quyết (cơ quan kiểm tra bản chính khi trả kết quả). Vui lòng chọn "
            f"hình thức {MODE_NAMES['pickup']}.",
        )
    if chosen_mode not in allowed_modes:
        allowed = "; ".join(MODE_NAMES.get(m, m) for m in allowed_modes)
        return Refusal(
            "delivery_mode_not_allowed",
            f"Thủ tục này không hỗ trợ hình thức {MODE_NAMES.get(chosen_mode, chosen_mode)}. "
            f"Các hình thức được phép: {allowed}.",
        )
    return None
