"""Each service's own dependency set installs into a clean environment and runs its entry points
(issue 14: identity imported `vietnam_provinces` without declaring it, so its image would not
have started; processing's `dvc-audit` imported `httpx` without declaring it). The workspace's
shared environment hides such gaps; here each service gets only what `uv export` says it needs.
About 2 s a service with uv's cache warm."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from dvc_kernel.settings import REPO_ROOT
from dvc_testing.stack import SERVICES

# Test helpers and simulators of the outside world: never in a service's image.
DEVELOPMENT_ONLY = ("dvc-testing", "dvc-simulators", "services/testing", "services/simulators")
UV = REPO_ROOT / ".cache" / "uv-bootstrap" / "bin" / "uv"
# What each service's entry points import (pyproject's [project.scripts]).
ENTRY_MODULES = {
    "identity": ["dvc_identity.main", "dvc_identity.cli"],
    "processing": ["dvc_processing.main", "dvc_processing.audit.cli"],
    "kernel": ["dvc_kernel.dead_letters_cli"],
}


def uv() -> str:
    found = str(UV) if UV.exists() else shutil.which("uv")
    if found is None:
        pytest.fail("uv is not installed: run `make install`")
    return found


@pytest.mark.parametrize("service", SERVICES)
def test_a_service_installs_alone_and_imports_its_entry_points(service: str, tmp_path: Path) -> None:
    requirements = tmp_path / "requirements.txt"
    exported = subprocess.run(
        [uv(), "export", "--package", f"dvc-{service}", "--no-dev", "--frozen", "--no-hashes", "-q"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    requirements.write_text(exported.stdout)
    # What the image installs (`uv sync --no-dev --package dvc-<service>`, deploy/docker/Dockerfile)
    # never includes the development-only packages.
    for development_only in DEVELOPMENT_ONLY:
        assert development_only not in exported.stdout, f"dvc-{service} would ship {development_only}"
    venv = tmp_path / "venv"
    subprocess.run([uv(), "venv", "-q", str(venv)], cwd=REPO_ROOT, check=True, capture_output=True)
    python = venv / "bin" / "python"
    install = [uv(), "pip", "install", "-q", "--python", str(python), "-r", str(requirements)]
    subprocess.run(install, cwd=REPO_ROOT, check=True, capture_output=True, text=True)
    modules = ENTRY_MODULES.get(service, [f"dvc_{service}.main"]) + ENTRY_MODULES["kernel"]
    imported = subprocess.run(
        [
            str(python),
            "-c",
            "import importlib, sys; [importlib.import_module(m) for m in sys.argv[1:]]",
            *modules,
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert imported.returncode == 0, imported.stderr[-2000:]
