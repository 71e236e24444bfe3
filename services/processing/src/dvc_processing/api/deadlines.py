"""HTTP: how a deadline is counted, before a dossier exists (portal and officers' preview)."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from fastapi import APIRouter, Query

from dvc_calendar import Deadline, NoCalendarData, assess_lodging_notice, lodging_notice_due
from dvc_contracts.catalog import ProcedureVersionPublished
from dvc_kernel.bounds import within
from dvc_kernel.catalog_replica import CatalogReplica
from dvc_kernel.clock import VIETNAM
from dvc_kernel.refusal import Kind, Refusal

from ..domain.deadlines import due_for, rule_of

# "+07:00" arrives as " 07:00" when a client forgets to URL-encode the plus sign.
_UNENCODED_PLUS = re.compile(r" (\d{2}:?\d{2})$")


def parse_instant(name: str, raw: str) -> datetime:
    text = _UNENCODED_PLUS.sub(r"+\1", raw.strip())
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise Refusal(
            "invalid_timestamp",
            f"Tham số «{name}» phải là thời điểm ISO 8601, ví dụ 2025-05-02T09:30:00+07:00.",
            Kind.INVALID,
        ) from None
    if value.tzinfo is None:
        raise Refusal(
            "timestamp_without_offset",
            f"Tham số «{name}» phải ghi rõ múi giờ (ví dụ +07:00); thời điểm không có múi giờ "
            "có thể bị hiểu sai.",
            Kind.INVALID,
        )
    return within(name, value)


def vietnam_iso(value: datetime) -> str:
    return value.astimezone(VIETNAM).isoformat()


def router(catalog: CatalogReplica) -> APIRouter:
    api = APIRouter(prefix="/v1", tags=["deadlines"])
    _preview(api, catalog)
    _lodging(api)
    return api


def _preview(api: APIRouter, catalog: CatalogReplica) -> None:
    @api.get("/deadlines/preview", summary="Due date and time of a dossier received at a given instant")
    async def preview(
        procedure: str = Query(description="Catalog code of the procedure, e.g. 1.004194"),
        received_at: str = Query(description="ISO 8601 instant with its UTC offset"),
        unit: str | None = Query(None, description="Deciding unit, for its office hours"),
    ) -> dict[str, Any]:
        at = parse_instant("received_at", received_at)
        version = catalog.in_force(procedure, at.astimezone(VIETNAM).date())
        if version is None:
            raise Refusal(
                "unknown_procedure",
                f"Không có thủ tục mã «{procedure}» có hiệu lực vào ngày tiếp nhận.",
                Kind.INVALID,
            )
        try:
            # By the calendar in force on the day of reception; a year it has no data for is
            # refused rather than guessed (ADR 0023).
            deadline = due_for(version, at, unit, strict=True)
        except NoCalendarData as missing:
            raise Refusal("no_calendar_data", missing.message, Kind.INVALID, year=missing.year) from None
        return _previewed(version, at, deadline)


def _previewed(version: ProcedureVersionPublished, at: datetime, deadline: Deadline) -> dict[str, Any]:
    rule = rule_of(version)
    return {
        "procedure": version.code,
        "procedure_name": version.name,
        "version": version.version,
        "received_at": vietnam_iso(at),
        "counted_from": vietnam_iso(deadline.counted_from),
        "due_at": vietnam_iso(deadline.due_at),
        "rule": {
            "kind": rule.kind.value,
            "amount": rule.amount,
            "saturday_morning_reception": rule.saturday_morning_reception,
        },
        "explanation": list(deadline.steps),
        "calendar_version": deadline.calendar_version,
        "estimated": deadline.estimated,
    }


def _lodging(api: APIRouter) -> None:
    @api.get("/lodging/deadline", summary="When a lodging notice for a guest must be made")
    async def lodging(
        arrived_at: str = Query(description="ISO 8601 instant the guest arrived, with its offset"),
        notified_at: str | None = Query(None, description="When the notice was made, to judge it"),
    ) -> dict[str, Any]:
        arrived = parse_instant("arrived_at", arrived_at)
        if notified_at is None:
            due = lodging_notice_due(arrived)
            return {
                "arrived_at": vietnam_iso(arrived),
                "due_at": vietnam_iso(due.due_at),
                "explanation": list(due.steps),
            }
        notified = parse_instant("notified_at", notified_at)
        assessment = assess_lodging_notice(arrived, notified)
        return {
            "arrived_at": vietnam_iso(arrived),
            "due_at": vietnam_iso(assessment.due_at),
            "notified_at": vietnam_iso(notified),
            "on_time": assessment.on_time,
            "explanation": list(assessment.steps),
        }
