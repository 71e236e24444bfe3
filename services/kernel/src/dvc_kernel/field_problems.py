"""Pydantic's validation errors said in Vietnamese, field by field (issue 14): FastAPI's English
texts ("Field required") never reach a citizen."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# Pydantic's error types, said in Vietnamese (the context fills the braces).
_FIELD_PROBLEMS = {
    "missing": "Thiếu thông tin bắt buộc.",
    "extra_forbidden": "Trường này không được phép.",
    "string_type": "Phải là chuỗi ký tự.",
    "string_too_short": "Quá ngắn (tối thiểu {min_length} ký tự).",
    "string_too_long": "Quá dài (tối đa {max_length} ký tự).",
    "string_pattern_mismatch": "Không đúng định dạng.",
    "int_type": "Phải là số nguyên.",
    "int_parsing": "Phải là số nguyên.",
    "int_from_float": "Phải là số nguyên.",
    "float_type": "Phải là số.",
    "float_parsing": "Phải là số.",
    "bool_type": "Phải là đúng hoặc sai (true/false).",
    "bool_parsing": "Phải là đúng hoặc sai (true/false).",
    "greater_than": "Phải lớn hơn {gt}.",
    "greater_than_equal": "Phải từ {ge} trở lên.",
    "less_than": "Phải nhỏ hơn {lt}.",
    "less_than_equal": "Phải không quá {le}.",
    "too_short": "Cần ít nhất {min_length} mục.",
    "too_long": "Tối đa {max_length} mục.",
    "list_type": "Phải là một danh sách.",
    "dict_type": "Phải là một đối tượng.",
    "model_type": "Phải là một đối tượng.",
    "model_attributes_type": "Phải là một đối tượng.",
    "literal_error": "Chỉ nhận một trong các giá trị: {expected}.",
    "enum": "Chỉ nhận một trong các giá trị: {expected}.",
    "uuid_type": "Phải là mã định danh UUID.",
    "uuid_parsing": "Phải là mã định danh UUID.",
    "date_type": "Phải là ngày (NNNN-TT-NN).",
    "date_parsing": "Phải là ngày (NNNN-TT-NN).",
    "date_from_datetime_parsing": "Phải là ngày (NNNN-TT-NN).",
    "date_from_datetime_inexact": "Phải là ngày (NNNN-TT-NN), không kèm giờ.",
    "datetime_type": "Phải là thời điểm ISO 8601, ví dụ 2025-05-02T09:30:00+07:00.",
    "datetime_parsing": "Phải là thời điểm ISO 8601, ví dụ 2025-05-02T09:30:00+07:00.",
    "datetime_from_date_parsing": "Phải là thời điểm ISO 8601, ví dụ 2025-05-02T09:30:00+07:00.",
    "timezone_aware": "Phải ghi rõ múi giờ (ví dụ +07:00).",
    "timezone_naive": "Không được ghi múi giờ.",
    "json_invalid": "Nội dung không phải JSON hợp lệ.",
    "json_type": "Nội dung không phải JSON hợp lệ.",
    "value_error": "Giá trị không hợp lệ.",
    "assertion_error": "Giá trị không hợp lệ.",
    "url_parsing": "Phải là một địa chỉ URL.",
    "url_type": "Phải là một địa chỉ URL.",
    "decimal_parsing": "Phải là số.",
    "bytes_type": "Phải là dữ liệu nhị phân.",
    "union_tag_invalid": "Loại không hợp lệ.",
    "union_tag_not_found": "Thiếu trường phân loại.",
    "date_future": "Phải là một ngày trong tương lai.",
    "date_past": "Phải là một ngày trong quá khứ.",
    "finite_number": "Phải là số hữu hạn.",
    "multiple_of": "Phải là bội số của {multiple_of}.",
}
_GENERIC = "Giá trị không hợp lệ."


def field_problem(error: Mapping[str, Any]) -> str:
    """The Vietnamese text for one pydantic error. A validator of ours that raised a
    `ValueError` with a Vietnamese message keeps its message."""
    kind = str(error.get("type", ""))
    if kind == "value_error":
        context = error.get("ctx") or {}
        raised = context.get("error")
        text = str(raised) if raised is not None else ""
        if text and is_vietnamese(text):  # ours, already Vietnamese
            return text
    template = _FIELD_PROBLEMS.get(kind)
    if template is None:
        return _GENERIC
    try:
        return template.format(**(error.get("ctx") or {}))
    except (KeyError, IndexError, ValueError):
        return _GENERIC


def field_errors(errors: list[Any]) -> list[dict[str, str]]:
    found = []
    for err in errors:
        where = [str(p) for p in err.get("loc", ())]
        found.append(
            {
                # Without where it came (body, query, path, header): the field as the caller named it.
                "field": ".".join(where[1:]) or ".".join(where),
                "in": where[0] if where else "",
                "problem": field_problem(err),
                "type": str(err.get("type", "")),
            }
        )
    return found


def is_vietnamese(text: str) -> bool:
    """Written by us for a citizen (the English of libraries is plain ASCII)."""
    return any(ord(c) > 127 for c in text)
