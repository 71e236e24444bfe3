"""`make run`'s demo dossier (deploy/devstack.py) on a development stack, as the README shows
it: the demo resident registers and logs in with the OTP from the SMS sink, files a
temporary-residence dossier, gets its receipt SMS, and pays the fee through the gateway's
simulator. Nothing else runs the demo step, and it is the first thing a newcomer sees."""

from __future__ import annotations

import io
import re
import sys
from pathlib import Path

import pytest

from dvc_testing.e2e_fixtures import module_stack
from dvc_testing.stack import Stack

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "deploy"))
import devstack  # noqa: E402

pytestmark = pytest.mark.e2e

stack = module_stack(17300, "make-run-demo")


def test_the_demo_dossier_is_filed_received_told_and_paid(
    stack: Stack, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(devstack, "RUN_DIR", tmp_path)  # its saved session stays out of var/run
    out = io.StringIO()

    devstack.demo_dossier(devstack.Launch(progress=devstack.Progress(out), stack=stack))

    told = out.getvalue()
    assert "Trần Văn Minh logged in (OTP read from the SMS sink)" in told
    code = re.search(r"demo dossier (\S+) submitted", told)
    assert code is not None, told
    assert re.search(rf"SMS to 0903123456: .*{code.group(1)} đã được tiếp nhận lúc ", told), told
    assert "fee 7.000 VND paid through the gateway simulator" in told, told
