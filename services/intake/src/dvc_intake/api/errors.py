"""What intake answers beyond the kernel's refusals: an unreachable registry (503) and a
concurrent change (409), each a code and a Vietnamese message, never a 500."""

from __future__ import annotations

import logging

from eventsourcing.persistence import IntegrityError
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from dvc_kernel.errors import error_response

from ..registry import REGISTRY_UNAVAILABLE, RegistryUnavailable

log = logging.getLogger(__name__)


def install_intake_errors(http: FastAPI) -> None:
    @http.exception_handler(RegistryUnavailable)
    async def _registry(_: Request, exc: RegistryUnavailable) -> JSONResponse:
        log.warning("population registry unavailable: %s", exc)
        return error_response(503, "registry_unavailable", REGISTRY_UNAVAILABLE)

    @http.exception_handler(IntegrityError)
    async def _raced(_: Request, exc: IntegrityError) -> JSONResponse:
        # Two changes to the same dossier at once (two tabs, or a report from processing):
        # the later one wrote nothing and may simply be sent again.
        log.info("concurrent change refused: %s", exc)
        message = "Hồ sơ vừa được cập nhật ở nơi khác. Vui lòng tải lại và thử lại."
        return error_response(409, "concurrent_change", message)
