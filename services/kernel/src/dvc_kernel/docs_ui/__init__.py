"""API documentation served by each service itself, with Swagger UI's files from a Python package
(swagger-ui-py) instead of a CDN: it works offline and inside a closed network, and through the
gateway's `/api/<service>/docs` as well as on the service's own port. The page has no inline
script, so the gateway's Content-Security-Policy holds for it too (ADR 0019)."""

from __future__ import annotations

import html
from importlib.resources import files
from pathlib import Path

from fastapi import FastAPI, HTTPException
from fastapi.responses import FileResponse, HTMLResponse

_INIT = Path(str(files(__package__).joinpath("init.js")))
# Only the files the page loads; the package also ships Swagger Editor, which is not served.
_ASSETS = ("swagger-ui-bundle.js", "swagger-ui.css", "favicon-32x32.png")


def swagger_ui_dir() -> Path:
    return Path(str(files("swagger_ui").joinpath("static")))


def page(title: str) -> str:
    # Relative addresses: /docs and /api/<service>/docs both find their files next to them.
    return (
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title)} — API</title>\n"
        '<link rel="icon" type="image/png" href="docs-assets/favicon-32x32.png">\n'
        '<link rel="stylesheet" href="docs-assets/swagger-ui.css">\n'
        '</head>\n<body>\n<div id="swagger-ui"></div>\n'
        '<script src="docs-assets/swagger-ui-bundle.js"></script>\n'
        '<script src="docs-assets/init.js"></script>\n</body>\n</html>\n'
    )


def install(http: FastAPI, title: str) -> None:
    """`GET /docs` and its files under `/docs-assets/` (the app is built with docs_url=None)."""
    text = page(title)
    directory = swagger_ui_dir()

    @http.get("/docs", include_in_schema=False)
    async def docs() -> HTMLResponse:
        return HTMLResponse(text)

    @http.get("/docs-assets/init.js", include_in_schema=False)
    async def init() -> FileResponse:
        return FileResponse(_INIT, media_type="text/javascript")

    @http.get("/docs-assets/{name}", include_in_schema=False)
    async def asset(name: str) -> FileResponse:
        if name not in _ASSETS:
            raise HTTPException(404, "Không tìm thấy.")
        return FileResponse(directory / name)
