"""Operators' commands.

``dvc-identity-registry load <csv> [--dry-run]``
    Check a population-registry extract, report every rejected row and why, and (unless
    ``--dry-run``) make the accepted rows the replica (the file ``IDENTITY_REGISTRY_CSV`` names,
    by default ``<data dir>/identity/registry.csv``); running instances reload it within 30 s.

``dvc-identity-staff create-operator --id-number N --full-name NAME --phone P --unit C06``
    Create an operator account directly in identity's store: the first operator cannot be
    created over HTTP, since that needs an operator. The password is read from the terminal
    (or, with ``--password-stdin``, from standard input). Whoever runs it already holds the
    store and its keys, so it grants nothing they did not have.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Sequence

from dvc_kernel.clock import VIETNAM, SystemClock
from dvc_kernel.meta import CommandMeta
from dvc_kernel.refusal import Refusal

from .application.staff import StaffRequest
from .domain.divisions import ward_codes
from .domain.registry_csv import CsvHeaderError, load_csv_command
from .projections.registry_replica import write_atomically
from .settings import IdentitySettings


def registry_main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="dvc-identity-registry", description="Population registry replica")
    commands = parser.add_subparsers(dest="command", required=True)
    load = commands.add_parser("load", help="check an extract and make it the replica")
    load.add_argument(
        "csv", help="UTF-8 CSV: id_number,full_name,date_of_birth,sex,ward_code,household_id,phone"
    )
    load.add_argument("--dry-run", action="store_true", help="only report, change nothing")
    args = parser.parse_args(argv)

    settings = IdentitySettings()
    today = SystemClock().now().astimezone(VIETNAM).date()
    try:
        report = load_csv_command(args.csv, today=today, known_wards=ward_codes())
    except (CsvHeaderError, OSError) as error:
        print(f"{args.csv}: {error}", file=sys.stderr)
        return 2
    print(report.render())
    if not report.result.accepted:
        print("nothing accepted: the replica is unchanged", file=sys.stderr)
        return 1
    if not args.dry_run:
        write_atomically(settings.registry_path, report.result.accepted)
        print(f"replica written to {settings.registry_path}")
    return 0


def staff_main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="dvc-identity-staff", description="Staff accounts")
    commands = parser.add_subparsers(dest="command", required=True)
    create = commands.add_parser("create-operator", help="create an operator account (bootstrap)")
    create.add_argument("--id-number", required=True)
    create.add_argument("--full-name", required=True)
    create.add_argument("--phone", required=True, help="mobile that receives login codes")
    create.add_argument("--unit", action="append", required=True, help="unit code, e.g. C06 (repeatable)")
    create.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    args = parser.parse_args(argv)

    password = sys.stdin.readline().rstrip("\n") if args.password_stdin else getpass.getpass("Mật khẩu: ")
    from .main import compose  # the full composition (store, cipher, keys) only when needed

    app = compose(IdentitySettings())
    try:
        account = app.appoint_staff(
            StaffRequest(args.id_number, args.full_name, args.phone, "operator", args.unit, password),
            CommandMeta.system("identity-cli"),
        )
    except Refusal as error:
        print(f"{error.code}: {error.message}", file=sys.stderr)
        return 1
    finally:
        app.close()
    print(f"operator {account.id} created for units {', '.join(account.units)}")
    return 0
