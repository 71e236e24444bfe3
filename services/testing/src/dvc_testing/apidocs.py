"""Generated interface documents: OpenAPI per service and one AsyncAPI for the Kafka topics.

Both are committed under `docs/` and a test fails when they fall behind the code, so the portal
gateway and officer tools can rely on what they read there. Development tooling (`make docs`),
so it lives here rather than in the kernel, which depends on no service.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from faststream.specification import AsyncAPI

from dvc_kernel.settings import REPO_ROOT

DOCS = REPO_ROOT / "docs"


def _built_services() -> dict[str, Any]:
    """Each service's FastAPI app, built over a throw-away data dir (nothing is started), in the
    production configuration: no development route, notify with an SMS provider (never called)."""
    saved = dict(os.environ)
    os.environ["DVC_DATA_DIR"] = tempfile.mkdtemp(prefix="dvc-apidocs-")
    os.environ.pop("DVC_DEVELOPMENT", None)
    os.environ["SMS_PROVIDER_URL"] = "https://sms-provider.invalid"
    os.environ["SMS_PROVIDER_API_KEY"] = "not-a-key"
    try:
        # Imported here, once the environment above is set, as each service's process would.
        from dvc_catalog import main as catalog
        from dvc_delivery import main as delivery
        from dvc_identity import main as identity
        from dvc_intake import main as intake
        from dvc_notify import main as notify
        from dvc_payment import main as payment
        from dvc_processing import main as processing

        mains = [identity, catalog, intake, processing, payment, delivery, notify]  # SERVICES' order
        return {main.__name__.split(".")[0].removeprefix("dvc_"): main.build() for main in mains}
    finally:
        os.environ.clear()
        os.environ.update(saved)


def _dump(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def generate() -> dict[Path, str]:
    apps = _built_services()
    out: dict[Path, str] = {}
    for name, app in apps.items():
        out[DOCS / "openapi" / f"{name}.json"] = _dump(app.openapi())
    brokers = [app.state.runtime.broker for app in apps.values()]
    asyncapi = AsyncAPI(
        *brokers,
        title="Dịch vụ công Bộ Công an — public event topics",
        version="1.0.0",
        description=(
            "Every public event travels in one envelope (see contracts/schemas/Envelope.json), "
            "keyed by the aggregate id. Dossier topics keep their events forever."
        ),
    )
    out[DOCS / "asyncapi.json"] = _dump(json.loads(asyncapi.to_specification().to_json()))
    for app in apps.values():
        app.state.runtime.app.close()
    return out


def stale() -> list[Path]:
    return [p for p, text in generate().items() if not p.exists() or p.read_text("utf-8") != text]


def main() -> None:
    for path, text in generate().items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        print(path.relative_to(REPO_ROOT))


if __name__ == "__main__":
    main()
