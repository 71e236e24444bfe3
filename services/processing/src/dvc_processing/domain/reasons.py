"""The maintained list of refusal reasons (data file), looked up by code."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any

import yaml

from dvc_kernel.refusal import Kind, Refusal


@dataclass(frozen=True)
class Reason:
    code: str
    label: str
    legal_basis: str


@cache
def reasons() -> dict[str, Reason]:
    raw: dict[str, Any] = yaml.safe_load(
        files("dvc_processing").joinpath("data/rejection_reasons.yaml").read_text(encoding="utf-8")
    )
    return {r["code"]: Reason(r["code"], r["label"], r["legal_basis"]) for r in raw["reasons"]}


@cache
def letters() -> dict[str, str]:
    raw: dict[str, str] = yaml.safe_load(
        files("dvc_processing").joinpath("data/letters.yaml").read_text(encoding="utf-8")
    )
    return raw


@cache
def supplement_round_reasons() -> dict[str, str]:
    """Why a dossier may be sent back for a supplement again: code -> Vietnamese label."""
    raw: dict[str, Any] = yaml.safe_load(
        files("dvc_processing").joinpath("data/supplement_round_reasons.yaml").read_text(encoding="utf-8")
    )
    return {r["code"]: r["label"] for r in raw["reasons"]}


def legal_basis_of(reason_code: str, given: str | None) -> str:
    """The legal basis of a rejection or refusal is the listed reason's: an officer may only
    make it more precise (a clause, a point), never replace it with free text."""
    if reason_code not in reasons():
        raise Refusal(
            "unknown_reason_code",
            "Mã lý do không có trong danh mục lý do từ chối được ban hành.",
            Kind.INVALID,
            known=sorted(reasons()),
        )
    listed = reasons()[reason_code].legal_basis
    if given is None or not given.strip() or given.strip() == listed:
        return listed
    if given.strip().startswith(listed + ","):
        return given.strip()
    raise Refusal(
        "legal_basis_not_listed",
        f"Căn cứ pháp lý phải là căn cứ của lý do trong danh mục: «{listed}» "
        "(có thể ghi cụ thể thêm khoản, điểm sau dấu phẩy).",
        Kind.INVALID,
        listed=listed,
    )
