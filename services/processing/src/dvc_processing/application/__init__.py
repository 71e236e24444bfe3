"""Processing's commands, queries and its policy for consumed events."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import Any
from uuid import UUID, uuid4

from eventsourcing.application import AggregateNotFoundError, ProcessingEvent
from eventsourcing.persistence import IntegrityError

from dvc_calendar import CalendarVersion, assess_lodging_notice
from dvc_calendar.instants import to_vietnam
from dvc_contracts import EventPayload
from dvc_contracts.delivery import DELIVERY_EVENTS
from dvc_contracts.dossier import FeePaid, Resubmitted, Submitted, Withdrawn
from dvc_contracts.envelope import utc
from dvc_contracts.lodging import LodgingNoticeFiled
from dvc_contracts.payment import FeeAssessed, Refunded
from dvc_kernel import personal_data
from dvc_kernel.application import AwaitingCause, Incoming, ServiceApplication, event_types
from dvc_kernel.auth.access import DossierScope, can_change_dossier
from dvc_kernel.auth.principal import Principal, Role
from dvc_kernel.bounds import EARLIEST, LATEST
from dvc_kernel.catalog_replica import CatalogReplica
from dvc_kernel.clock import VIETNAM, Clock, SystemClock
from dvc_kernel.dead_letters import CannotApply
from dvc_kernel.errors import Conflict, Forbidden, NotFound, Unprocessable
from dvc_kernel.inbox import conflict
from dvc_kernel.meta import CommandMeta

from ..deadlines import calendar_on, due_after_resubmission, due_for
from ..domain.case import Case, CaseCodeIndex, TransitionRefused
from ..domain.lodging_notice import LodgingNotice
from ..domain.lookup_guard import LookupGuard
from ..reasons import letters, reasons
from .officer import OfficerCommands

log = logging.getLogger(__name__)

STAFF_WHO_ACT = frozenset({Role.OFFICER, Role.SUPERVISOR})


# Other services' events about a dossier that processing keeps on its case.
NOTED: tuple[type[EventPayload], ...] = (FeeAssessed, FeePaid, Refunded, *DELIVERY_EVENTS)


class ProcessingApplication(OfficerCommands, ServiceApplication):
    subject_field = "dossier_id"  # events about a dossier may arrive before its Submitted
    name = "processing"
    handles = event_types(Submitted, Resubmitted, Withdrawn, LodgingNoticeFiled, *NOTED)

    def __init__(
        self,
        env: dict[str, str] | None = None,
        clock: Clock | None = None,
        catalog: CatalogReplica | None = None,
    ) -> None:
        super().__init__(env)
        self.clock = clock or SystemClock()
        self.catalog = catalog or CatalogReplica()

    # -- policy: what processing does with consumed events ---------------------------------------

    def on_incoming(self, incoming: Incoming, processing_event: ProcessingEvent[UUID]) -> None:
        payload = incoming.payload
        if isinstance(payload, Submitted):
            self._receive(incoming, payload, processing_event)
        elif isinstance(payload, Resubmitted):
            self._resubmission(incoming, payload, processing_event)
        elif isinstance(payload, Withdrawn):
            self._withdrawal(incoming, payload, processing_event)
        elif isinstance(payload, LodgingNoticeFiled):
            self._lodging_notice(incoming, payload, processing_event)
        elif isinstance(payload, NOTED):
            self._note(incoming, processing_event)

    def _note(self, incoming: Incoming, processing_event: ProcessingEvent[UUID]) -> None:
        """Keep what payment and delivery say on the case: the fee decides what an officer may
        do, and the dossier's timeline tells the whole story from processing's store."""
        payload: Any = incoming.payload
        case = self.case(payload.dossier_id)
        if case is None:
            # Caused by a Submitted that has not reached processing yet (another topic): parked,
            # and applied as soon as the dossier is received.
            raise AwaitingCause(payload.dossier_id, f"{incoming.envelope.event_type} before its Submitted")
        cause = incoming.envelope.model_dump(mode="json")
        kind = incoming.envelope.event_type
        at, meta = self.clock.now(), self.reaction_meta(incoming)
        if isinstance(payload, FeeAssessed):
            case.note_fee(kind, payload.amount_vnd, payload.due, list(payload.methods), at, meta, cause)
        elif isinstance(payload, FeePaid | Refunded):
            case.note_fee(kind, payload.amount_vnd, None, [], at, meta, cause)
        else:
            case.note_delivery(kind, at, meta, cause)
        processing_event.collect_events(case)

    def _lodging_notice(
        self, incoming: Incoming, filed: LodgingNoticeFiled, processing_event: ProcessingEvent[UUID]
    ) -> None:
        """Received at once, at any hour; each guest judged by the 23:00 / 08:00 rule against the
        time the host notified (Law on Residence Art. 30 cl. 4)."""
        try:
            self.repository.get(filed.notice_id)
            return
        except AggregateNotFoundError:
            pass
        guests = []
        for guest in filed.guests:
            if not (EARLIEST <= guest.arrived_at < LATEST and EARLIEST <= filed.filed_at < LATEST):
                # Intake refuses these now (issue 14); one filed before cannot be judged, ever.
                raise CannotApply(f"lodging notice {filed.notice_id}: an instant outside 2000-2099")
            judged = assess_lodging_notice(guest.arrived_at, filed.filed_at)
            guests.append(
                {
                    "id_number": guest.id_number,
                    "arrived_at": utc(guest.arrived_at),
                    "due_at": utc(judged.due_at),
                    "on_time": judged.on_time,
                }
            )
        notice = LodgingNotice(
            id=filed.notice_id,
            notice_code=filed.notice_code,
            unit_code=filed.unit_code,
            received_at=self.clock.now(),
            guests=guests,
            meta=self.reaction_meta(incoming),
            cause=incoming.envelope.model_dump(mode="json"),
        )
        processing_event.collect_events(notice)

    def _receive(
        self, incoming: Incoming, submitted: Submitted, processing_event: ProcessingEvent[UUID]
    ) -> None:
        """Every submitted dossier is received automatically, at the moment it arrives."""
        if self.case(submitted.dossier_id) is not None:
            return
        version = self.catalog.version(submitted.procedure_code, submitted.procedure_version)
        today = to_vietnam(self.clock.now(), "now").date()
        deadline = (
            due_for(version, submitted.submitted_at, submitted.unit_code, on=today) if version else None
        )
        if version is None:
            log.warning(
                "no catalog version %s v%d: dossier %s received without a due date",
                submitted.procedure_code,
                submitted.procedure_version,
                submitted.dossier_code,
            )
        case = Case(
            id=submitted.dossier_id,
            dossier_code=submitted.dossier_code,
            procedure_code=submitted.procedure_code,
            procedure_version=submitted.procedure_version,
            level=version.level if version else 3,
            owner_account=submitted.owner_account,
            unit_code=submitted.unit_code,
            delivery_mode=submitted.delivery_mode,
            submitted_at=submitted.submitted_at,
            received_at=self.clock.now(),
            due_at=utc(deadline.due_at) if deadline else None,
            due_explanation=list(deadline.steps) if deadline else [],
            on_supplement=version.deadline.on_supplement if version else "restart",
            meta=self.reaction_meta(incoming),
            cause=incoming.envelope.model_dump(mode="json"),
            calendar_version=deadline.calendar_version if deadline else None,
            due_estimated=deadline.estimated if deadline else False,
        )
        index = CaseCodeIndex(
            id=Case.code_index_id(submitted.dossier_code),
            code=submitted.dossier_code,
            dossier_id=submitted.dossier_id,
        )
        processing_event.collect_events(case, index)

    def _resubmission(
        self, incoming: Incoming, resubmitted: Resubmitted, processing_event: ProcessingEvent[UUID]
    ) -> None:
        case = self.case(resubmitted.dossier_id)
        if case is None or case.requested_at is None:
            return
        deadline = None
        version = self.catalog.version(case.procedure_code, case.procedure_version)
        if version is not None:
            deadline = due_after_resubmission(
                version,
                case.submitted_at,
                case.requested_at,
                resubmitted.resubmitted_at,
                case.unit_code,
                on=to_vietnam(self.clock.now(), "now").date(),
            )
        if case.receive_resubmission(
            request_id=resubmitted.request_id,
            at=self.clock.now(),
            due_at=utc(deadline.due_at) if deadline else None,
            due_explanation=list(deadline.steps) if deadline else [],
            meta=self.reaction_meta(incoming),
            cause=incoming.envelope.model_dump(mode="json"),
            calendar_version=deadline.calendar_version if deadline else None,
            due_estimated=deadline.estimated if deadline else False,
            resubmitted_at=resubmitted.resubmitted_at,
        ):
            processing_event.collect_events(case)

    def _withdrawal(
        self, incoming: Incoming, withdrawn: Withdrawn, processing_event: ProcessingEvent[UUID]
    ) -> None:
        case = self.case(withdrawn.dossier_id)
        if case is not None and case.acknowledge_withdrawal(
            withdrawn.withdrawn_at,
            self.clock.now(),
            self.reaction_meta(incoming),
            incoming.envelope.model_dump(mode="json"),
        ):
            processing_event.collect_events(case)

    # -- queries ----------------------------------------------------------------------------

    def case(self, dossier_id: UUID) -> Case | None:
        try:
            found: Case = self.repository.get(dossier_id)
        except AggregateNotFoundError:
            return None
        return found

    def case_by_code(self, code: str) -> Case | None:
        try:
            index: CaseCodeIndex = self.repository.get(Case.code_index_id(code))
        except AggregateNotFoundError:
            return None
        return self.case(index.dossier_id)

    def has_applied(self, dossier_id: UUID, producer: str, version: int) -> bool:
        """Whether processing has acted on `producer`'s event at `version` of the dossier (or a
        later one): read-your-writes for a citizen who just submitted or resubmitted."""
        return any(
            (cause := getattr(e, "cause", None))
            and cause.get("producer") == producer
            and int(cause.get("aggregate_version", 0)) >= version
            for e in self.case_events(dossier_id)
        )

    def case_events(self, dossier_id: UUID) -> list[Any]:
        return list(self.events.get(dossier_id))

    # -- officer commands -------------------------------------------------------------------

    def act(
        self,
        code: str,
        principal: Principal,
        meta: CommandMeta,
        action: Callable[[Case, datetime, dict[str, Any]], None],
        expected_version: int | None = None,
    ) -> Case:
        """Run one officer action on the dossier `code`, exactly as the rules allow.

        Only staff of the dossier's unit act; a stale `expected_version` (If-Match) or a
        concurrent action by someone else gives 409, never two decisions.
        """
        return self.act_at(code, principal, meta, action, expected_version)[0]

    def act_at(
        self,
        code: str,
        principal: Principal,
        meta: CommandMeta,
        action: Callable[[Case, datetime, dict[str, Any]], None],
        expected_version: int | None = None,
    ) -> tuple[Case, int]:
        """`act`, and the position of what it wrote in processing's log (for the consistency
        token its answer carries)."""
        case = self.case_by_code(code)
        if case is None:
            raise NotFound("dossier_not_found", "Không tìm thấy hồ sơ có mã này.")
        if principal.role not in STAFF_WHO_ACT or not can_change_dossier(
            principal, DossierScope(owner=case.owner_account, unit=case.unit_code)
        ):
            raise Forbidden("not_your_unit", "Chỉ cán bộ của đơn vị đang giải quyết hồ sơ mới được thao tác.")
        if meta.actor_unit is None:  # the unit the officer acts for: the dossier's, when theirs
            unit = case.unit_code if case.unit_code in principal.units else min(principal.units, default=None)
            meta = replace(meta, actor_unit=unit)
        if expected_version is not None and expected_version != case.version:
            raise Conflict(
                "stale_version", "Hồ sơ vừa được người khác cập nhật. Vui lòng tải lại trước khi thao tác."
            )
        try:
            action(case, self.clock.now(), meta.as_dict())
        except TransitionRefused as refused:
            raise Conflict(refused.code, refused.message) from None
        try:
            recordings = self.save(case)
        except IntegrityError as error:
            conflict("officer action", case.dossier_code, error)  # answered 409: reload, try again
            raise Conflict(
                "concurrent_change", "Hồ sơ vừa được cán bộ khác xử lý. Vui lòng tải lại để xem kết quả."
            ) from None
        position = max((r.notification.id for r in recordings), default=0)
        return case, position

    @staticmethod
    def check_reason(reason_code: str) -> None:
        if reason_code not in reasons():
            raise Unprocessable(
                "unknown_reason_code",
                "Mã lý do không có trong danh mục lý do từ chối được ban hành.",
                known=sorted(reasons()),
            )

    @classmethod
    def legal_basis_of(cls, reason_code: str, given: str | None) -> str:
        """The legal basis of a rejection or refusal is the listed reason's: an officer may
        only make it more precise (a clause, a point), never replace it with free text."""
        cls.check_reason(reason_code)
        listed = reasons()[reason_code].legal_basis
        if given is None or not given.strip() or given.strip() == listed:
            return listed
        if given.strip().startswith(listed + ","):
            return given.strip()
        raise Unprocessable(
            "legal_basis_not_listed",
            f"Căn cứ pháp lý phải là căn cứ của lý do trong danh mục: «{listed}» "
            "(có thể ghi cụ thể thêm khoản, điểm sau dấu phẩy).",
            listed=listed,
        )

    # -- the public look-up's guard (domain/lookup_guard.py) --------------------------------

    def lookup_locked(self, code: str) -> bool:
        try:
            guard: LookupGuard = self.repository.get(LookupGuard.id_for(code))
        except AggregateNotFoundError:
            return False
        return guard.locked(self.clock.now())

    def note_wrong_digits(self, code: str) -> None:
        for _ in range(5):  # two wrong guesses at once: the second is recorded after the first
            try:
                guard: LookupGuard = self.repository.get(LookupGuard.id_for(code))
            except AggregateNotFoundError:
                guard = LookupGuard(id=LookupGuard.id_for(code), dossier_code=code)
            guard.wrong_digits(self.clock.now())
            try:
                self.save(guard)
                return
            except IntegrityError:
                continue

    def applicant(self, case: Case) -> dict[str, Any]:
        """The applicant as declared in the Submitted event processing received."""
        return applicant_in(self.case_events(case.id)[0].cause)

    def apology_letter(self, case: Case, reason: str, new_due_at: datetime) -> str:
        full_name = self.applicant(case).get("full_name", "")
        unit = self.catalog.units.get(case.unit_code or "")
        return letters()["apology"].format(
            unit_name=unit.name if unit else "Cơ quan giải quyết",
            full_name=full_name,
            dossier_code=case.dossier_code,
            due_at=_when(case.due_at) if case.due_at else "",
            reason=reason,
            new_due_at=_when(new_due_at),
        )

    # -- system commands: deadlines -------------------------------------------------------------

    def watch_deadline(self, dossier_id: UUID, due_soon: bool) -> list[str]:
        """Record what time has made true of one dossier: due soon, or breached."""
        case = self.case(dossier_id)
        if case is None:
            return []
        now = self.clock.now()
        meta = CommandMeta.system("processing").as_dict()
        done = []
        if case.record_breach(now, meta):
            done.append("breached")
        elif due_soon and case.note_due_soon(now, meta):
            done.append("due_soon")
        if done:
            try:
                self.save(case)
            except IntegrityError:
                return []  # an officer acted meanwhile; the next round looks again
        return done

    def recalculate_due_date(self, dossier_id: UUID, calendar: CalendarVersion | None = None) -> bool:
        """Count an open dossier's due date again by the calendar now in force, when it was
        counted by another version (ADR 0023): a `DueDateRecalculated` with both versions, both
        dates and why. Closed dossiers stay as they were judged (the domain refuses)."""
        case = self.case(dossier_id)
        now = self.clock.now()
        calendar = calendar or calendar_on(to_vietnam(now, "now").date(), strict=False)
        if case is None or case.calendar_version in (None, calendar.version):
            return False
        version = self.catalog.version(case.procedure_code, case.procedure_version)
        if version is None:
            return False
        if case.resubmitted_at is not None and case.requested_at is not None:
            deadline = due_after_resubmission(
                version,
                case.submitted_at,
                case.requested_at,
                case.resubmitted_at,
                case.unit_code,
                calendar=calendar,
            )
        else:
            deadline = due_for(version, case.submitted_at, case.unit_code, calendar=calendar)
        basis = "; ".join(calendar.legal_basis)
        reason = (
            f"Lịch làm việc được sửa đổi (phiên bản {case.calendar_version} → {calendar.version}, "
            f"áp dụng từ {calendar.effective_from:%d/%m/%Y}): {basis}"
        )
        if not case.recalculate_due(
            calendar.version,
            utc(deadline.due_at),
            list(deadline.steps),
            deadline.estimated,
            reason,
            now,
            CommandMeta.system("processing").as_dict(),
        ):
            return False
        try:
            self.save(case)
        except IntegrityError:
            return False  # an officer acted meanwhile; the next round looks again
        return True


def applicant_in(cause: dict[str, Any] | None) -> dict[str, Any]:
    """The applicant of the Submitted envelope that caused a `Received` (the one place that
    reads it: the officers' queue and the letters both go through here)."""
    if not cause or not cause.get("payload"):
        return {}
    # Kept as it travelled: the personal fields sealed (ADR 0021), opened here when needed.
    payload = personal_data.current().open(Submitted, cause["payload"], str(cause["subject"]))
    applicant: dict[str, Any] = payload.get("applicant") or {}
    return applicant


def new_request_id() -> UUID:
    return uuid4()


def _when(instant: datetime) -> str:
    return instant.astimezone(VIETNAM).strftime("%H:%M ngày %d/%m/%Y")
