"""`dvc-dead-letters`: the operators' tool for the messages a service's inbox set aside (ADR 0020).

    dvc-dead-letters --url http://127.0.0.1:8104 list
    dvc-dead-letters --url http://127.0.0.1:8104 show <id>
    dvc-dead-letters --url http://127.0.0.1:8104 replay <id>
    dvc-dead-letters --url http://127.0.0.1:8104 discard <id> --reason "..."

It speaks to the service's `/v1/ops/dead-letters` with an operator's token (`--token` or
`DVC_OPERATOR_TOKEN`): the service's store holds the letters and applies a replay in one
transaction with its record, so the same letter is never applied twice. Exit status 1 when the
service refused (a replay that fails again, a letter already handled), 2 on bad usage.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import urllib.error
import urllib.request
from collections.abc import Callable
from typing import Any

# (method, url, headers, body) -> (status, parsed JSON body)
Fetch = Callable[[str, str, dict[str, str], bytes | None], tuple[int, Any]]


def fetch(method: str, url: str, headers: dict[str, str], body: bytes | None) -> tuple[int, Any]:
    request = urllib.request.Request(url, data=body, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        raw = error.read()
        try:
            return error.code, json.loads(raw)
        except ValueError:
            return error.code, raw.decode("utf-8", "replace")


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="dvc-dead-letters", description=__doc__.split("\n\n")[0])
    main.add_argument("--url", required=True, help="the consuming service, e.g. http://127.0.0.1:8104")
    main.add_argument("--token", default=os.environ.get("DVC_OPERATOR_TOKEN"), help="operator token")
    commands = main.add_subparsers(dest="command", required=True)
    commands.add_parser("list", help="the letters waiting for an operator, oldest first")
    for name, text in (("show", "one letter"), ("replay", "apply it now"), ("discard", "give up on it")):
        command = commands.add_parser(name, help=text)
        command.add_argument("id")
        if name == "discard":
            command.add_argument("--reason", required=True)
    return main


def run(args: argparse.Namespace, call: Fetch = fetch) -> int:
    if not args.token:
        print("an operator token is needed (--token or DVC_OPERATOR_TOKEN)", file=sys.stderr)
        return 2
    base = args.url.rstrip("/") + "/v1/ops/dead-letters"
    headers = {"Authorization": f"Bearer {args.token}", "Accept": "application/json"}
    body: bytes | None = None
    if args.command == "list":
        method, url = "GET", base
    elif args.command == "show":
        method, url = "GET", f"{base}/{args.id}"
    elif args.command == "replay":
        method, url = "POST", f"{base}/{args.id}/replay"
    else:
        method, url = "POST", f"{base}/{args.id}/discard"
        body = json.dumps({"reason": args.reason}).encode()
        headers["Content-Type"] = "application/json"
    status, answer = call(method, url, headers, body)
    print(json.dumps(answer, ensure_ascii=False, indent=2))
    if args.command == "list" and status == 200:
        print(f"{len(answer)} dead letter(s) waiting", file=sys.stderr)
    return 0 if status == 200 else 1


def main(argv: list[str] | None = None) -> int:
    return run(parser().parse_args(argv))


if __name__ == "__main__":
    raise SystemExit(main())
