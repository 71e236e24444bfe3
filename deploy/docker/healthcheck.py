"""Container HEALTHCHECK: GET /healthz of the service in this container; exit 0 when it answers 200.

The standard library and the contracts only (the slim image has no curl). The port is
`<SERVICE>_PORT` when set, else the service's default (`dvc_contracts.services`); tests/deploy
checks that table against each service's settings.
"""

from __future__ import annotations

import os
import sys
import urllib.request

from dvc_contracts.services import DEFAULT_PORTS


def main() -> int:
    service = os.environ.get("DVC_SERVICE", "")
    if service not in DEFAULT_PORTS:
        print(f"DVC_SERVICE={service!r} is not one of {sorted(DEFAULT_PORTS)}", file=sys.stderr)
        return 1
    port = int(os.environ.get(f"{service.upper()}_PORT", DEFAULT_PORTS[service]))
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
            return 0 if response.status == 200 else 1
    except OSError as exc:
        print(f"healthz: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
