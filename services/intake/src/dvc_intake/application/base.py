"""What every command needs: the catalog, the clock, the owner's things, unique codes."""

from __future__ import annotations

import contextlib
import hashlib
import json
import random
import time
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import IntegrityError
from eventsourcing.utils import get_topic

from dvc_contracts.catalog import ProcedureVersionPublished
from dvc_kernel.catalog_application import CatalogAwareApplication
from dvc_kernel.catalog_replica import CatalogReplica
from dvc_kernel.clock import VIETNAM, Clock
from dvc_kernel.refusal import Kind, Refusal

from ..adapters.registry import RegistryCheck
from ..adapters.storage import FileStore
from ..domain.dossier import Dossier, DossierCodeIndex
from ..domain.dossier_code import new_code
from ..domain.owned_file import OwnedFile
from ..domain.papers import Attachment, FileRef
from ..domain.portfolio import Portfolio, PortfoliosMigrated
from ..domain.refusal import Refused
from ..projections.procedure_rules import UnitDirectory

CODE_ATTEMPTS = 12


T = TypeVar("T", bound=Aggregate)
A = TypeVar("A", bound=Aggregate)

# Lookup rows (ADR 0018) listing what an account filed: written with what they list, in the
# same transaction, so "my dossiers" never misses one and never lists one that failed to save.
DOSSIERS = "dossiers"  # account -> its dossiers and drafts
NOTICES = "notices"  # account -> its lodging notices


def owned(kind: str, owner: str, item: UUID) -> tuple[str, str, str]:
    return (kind, owner, str(item))


DOSSIER_NOT_FOUND = Refused("dossier_not_found", "Không tìm thấy hồ sơ của bạn có mã này.", "not_found")
DRAFT_NOT_FOUND = Refused("draft_not_found", "Không tìm thấy hồ sơ nháp này.", "not_found")


def fingerprint(data: Any) -> str:
    raw = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(raw.encode()).hexdigest()


class IntakeBase(CatalogAwareApplication):
    name = "intake"

    def __init__(
        self,
        env: dict[str, str] | None = None,
        *,
        registry: RegistryCheck,
        files: FileStore,
        clock: Clock | None = None,
        catalog: CatalogReplica | None = None,
        max_upload_bytes: int = 10 * 1024 * 1024,
        service_secret: str | None = None,
    ) -> None:
        super().__init__(env, clock=clock, catalog=catalog)
        self.service_secret = service_secret  # checks identity's registry stamp on tokens
        self.registry = registry
        self.files = files
        self.max_upload_bytes = max_upload_bytes
        self.units = UnitDirectory(self.catalog)

    def today(self) -> date:
        return self.clock.now().astimezone(VIETNAM).date()

    def version_in_force(self, procedure_code: str) -> ProcedureVersionPublished:
        """The version in force today in Vietnam; a dossier keeps the one it was filed under."""
        version = self.catalog.in_force(procedure_code, self.today())
        if version is None:
            raise Refused("unknown_procedure", f"Không có thủ tục hành chính mã «{procedure_code}».")
        return version

    def _get(self, kind: type[T], aggregate_id: UUID) -> T | None:
        try:
            found: Aggregate = self.repository.get(aggregate_id)
        except AggregateNotFoundError:
            return None
        return found if isinstance(found, kind) else None

    def owned_ids(self, kind: str, owner: str) -> list[UUID]:
        """What `owner` filed of `kind` (`DOSSIERS`, `NOTICES`), newest first."""
        return [UUID(value) for value in self.lookup(kind, owner)]

    def owned_dossier(self, owner: str, dossier_id: UUID) -> Dossier | None:
        """Someone else's dossier is as good as none: a caller cannot learn it exists."""
        dossier = self._get(Dossier, dossier_id)
        if dossier is None or dossier.owner_account != owner or dossier.deleted:
            return None
        return dossier

    def dossier_by_code(self, code: str) -> Dossier | None:
        index = self._get(DossierCodeIndex, DossierCodeIndex.id_for(code))
        return self._get(Dossier, index.dossier_id) if index is not None else None

    def owned_by_code(self, owner: str, code: str) -> Dossier:
        dossier = self.dossier_by_code(code)
        if dossier is None or dossier.owner_account != owner:
            raise DOSSIER_NOT_FOUND
        return dossier

    def save_with_new_code(
        self,
        holder_id: UUID,
        build: Callable[[str], A],
        already_done: Callable[[], tuple[A, bool] | None],
        lookups: Sequence[tuple[str, str, str]] = (),
    ) -> tuple[A, bool]:
        """Saves what `build(code)` returns with a freshly reserved code and `lookups`, in one
        transaction; returns it and whether this call created it.

        A clash (the code was taken, or the same request won a race with itself) is retried:
        `already_done()` returning something means the other request did the work.
        """
        for attempt in range(CODE_ATTEMPTS):
            if attempt:
                # A clash is rare (a code drawn twice, or one request retried while it runs):
                # a random pause lets the concurrent saves go one after another.
                time.sleep(random.uniform(0, 0.005 * 2 ** min(attempt, 6)))
            code = new_code(self.today())
            index = DossierCodeIndex(id=DossierCodeIndex.id_for(code), code=code, dossier_id=holder_id)
            built = build(code)
            try:
                self.save(built, index, lookups=list(lookups))
            except IntegrityError:
                done = already_done()
                if done is not None:
                    return done
                continue
            # Processing's receipt of it comes next: the consumed batch finds it in memory.
            self.repository.keep([built])  # type: ignore[attr-defined]
            return built, True
        raise Refusal(
            "busy_try_again",
            "Hệ thống đang xử lý nhiều hồ sơ của cùng tài khoản; vui lòng gửi lại sau ít giây "
            "(dùng lại cùng Idempotency-Key để không nộp trùng).",
            Kind.UNAVAILABLE,
        )

    def migrate_portfolios(self) -> int:
        """Turn each portfolio written before ADR 0018 into lookup rows and owned files, once
        per store (an upgraded store keeps listing what its accounts filed). Returns how many
        portfolios were migrated."""
        done = PortfoliosMigrated.ID
        if self._get(PortfoliosMigrated, done) is not None:
            return 0
        opened = get_topic(Portfolio.Opened)  # type: ignore[attr-defined]  # made by @event
        count, after = 0, 0
        while batch := self.recorder.select_notifications(after + 1, 500, topics=[opened]):
            for notification in batch:
                portfolio = self._get(Portfolio, UUID(str(notification.originator_id)))
                if portfolio is None:
                    continue
                owner = portfolio.owner
                files = [
                    OwnedFile(OwnedFile.id_for(owner, sha), owner, sha, f["media_type"], f["size"])
                    for sha, f in portfolio.files.items()
                    if self.owned_file(owner, sha) is None
                ]
                lookups = [owned(DOSSIERS, owner, UUID(d)) for d in portfolio.dossiers]
                lookups += [owned(NOTICES, owner, UUID(n)) for n in portfolio.notices]
                self.save(*files, lookups=lookups)
                count += 1
            after = batch[-1].id
        with contextlib.suppress(IntegrityError):  # another instance finished it first
            self.save(PortfoliosMigrated(id=done))
        return count

    def owned_file(self, owner: str, sha256: str) -> OwnedFile | None:
        return self._get(OwnedFile, OwnedFile.id_for(owner, sha256))

    def add_owned_file(self, owner: str, sha256: str, media_type: str, size: int) -> OwnedFile:
        """Record that `owner` uploaded the file (once; a repeated upload changes nothing)."""
        found = self.owned_file(owner, sha256)
        if found is not None:
            return found
        file = OwnedFile(OwnedFile.id_for(owner, sha256), owner, sha256, media_type, size)
        with contextlib.suppress(IntegrityError):  # the same upload, twice at once: recorded either way
            self.save(file)
        return file

    def owned_attachments(self, owner: str, refs: list[FileRef]) -> list[Attachment]:
        """Full attachment records for references by hash; only the owner's own uploads count."""
        files = {ref["sha256"]: self.owned_file(owner, ref["sha256"]) for ref in refs}
        unknown = sorted(sha for sha, file in files.items() if file is None)
        if unknown:
            raise Refused(
                "attachment_not_uploaded",
                "Có tệp đính kèm chưa được tải lên bằng tài khoản này. Vui lòng tải tệp lên trước.",
                sha256=unknown,
            )
        return [
            Attachment(
                sha256=ref["sha256"],
                document_code=ref["document_code"],
                media_type=file.media_type,
                size=file.size,
            )
            for ref in refs
            if (file := files[ref["sha256"]]) is not None
        ]
