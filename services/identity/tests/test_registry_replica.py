"""The registry replica: seeded with the documented demo residents, reloaded when replaced."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

from dvc_identity.cli import registry_main
from dvc_identity.domain.registry import DeclaredIdentity
from dvc_identity.projections.registry_replica import SEED_SIZE, RegistryReplica, ensure_seed

TODAY = date(2026, 3, 2)


def test_the_seed_holds_the_demo_residents_and_thousands_more(tmp_path: Path) -> None:
    path = tmp_path / "registry.csv"
    assert ensure_seed(path) is True
    assert ensure_seed(path) is False  # never overwritten
    replica = RegistryReplica.from_file(path, TODAY)

    assert len(replica) >= SEED_SIZE
    hoa = DeclaredIdentity("001203004321", "Nguyễn Thị Hoa", date(2003, 5, 14), "0912345678")
    assert replica.match(hoa).matched
    assert replica.match(DeclaredIdentity("079090001234", "Trần Văn Minh", date(1990, 8, 21))).matched


def test_the_seed_is_the_same_every_time(tmp_path: Path) -> None:
    ensure_seed(tmp_path / "a.csv")
    ensure_seed(tmp_path / "b.csv")
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()


def test_the_load_command_reports_rejected_rows_and_replaces_the_replica(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    mp = monkeypatch
    target = tmp_path / "replica.csv"
    mp.setenv("IDENTITY_REGISTRY_CSV", str(target))
    mp.setenv("DVC_DATA_DIR", str(tmp_path / "data"))
    extract = tmp_path / "extract.csv"
    extract.write_text(
        "id_number,full_name,date_of_birth,sex,ward_code,household_id,phone\n"
        "001203004321,Nguyễn Thị Hoa,14/05/2003,Nam,00070,HK1,0912345678\n"
        "001203004321,Nguyễn Văn Trùng,2003-01-01,male,00070,HK1,\n"
        "079090001234,Trần Văn Minh,1991-08-21,male,26743,HK2,0903123456\n"
        "048185000777,Lê Thị Mai,1985-11-02,female,99999,HK3,\n",
        encoding="utf-8",
    )
    assert registry_main(["load", str(extract)]) == 0
    out = capsys.readouterr().out

    assert "1 accepted, 3 rejected" in out
    assert "line 3: registry_csv.duplicate_id" in out
    assert "line 4: id_number.birth_year_mismatch" in out
    assert "line 5: registry_csv.unknown_ward" in out
    replica = RegistryReplica.from_file(target, TODAY)
    assert len(replica) == 1

    extract.write_text(extract.read_text().replace("1991-08-21", "1990-08-21"), encoding="utf-8")
    registry_main(["load", str(extract)])
    os.utime(target, ns=(1, 1))  # make sure the change is seen even within one clock tick
    assert replica.reload_if_changed(TODAY) and len(replica) == 2


def test_a_dry_run_changes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    mp = monkeypatch
    target = tmp_path / "replica.csv"
    mp.setenv("IDENTITY_REGISTRY_CSV", str(target))
    extract = tmp_path / "extract.csv"
    extract.write_text(
        "id_number,full_name,date_of_birth,sex,ward_code,household_id,phone\n"
        "001203004321,Nguyễn Thị Hoa,2003-05-14,male,00070,HK1,0912345678\n",
        encoding="utf-8",
    )
    assert registry_main(["load", "--dry-run", str(extract)]) == 0
    assert not target.exists()
