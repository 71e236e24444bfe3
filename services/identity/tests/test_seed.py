"""The seed generator produces data the registry loader accepts, the same every time."""

import io
from collections import Counter
from datetime import date
from pathlib import Path

from dvc_identity.data import mobile_prefixes
from dvc_identity.domain.registry_csv import load_csv_command, load_residents, write_residents
from dvc_identity.domain.seed import generate_residents, write_seed_csv

WARDS = ["00004", "00007", "26734", "27259"]
TODAY = date(2025, 7, 1)


def test_every_generated_row_passes_the_loader() -> None:
    residents = generate_residents(3000, WARDS, seed=7, today=TODAY)
    out = io.StringIO()
    write_residents(residents, out)
    result = load_residents(io.StringIO(out.getvalue()), today=TODAY, known_wards=set(WARDS))
    assert result.rejected == []
    assert result.accepted == residents


def test_the_same_seed_gives_the_same_residents() -> None:
    first = generate_residents(500, WARDS, seed=1, today=TODAY)
    assert first == generate_residents(500, WARDS, seed=1, today=TODAY)
    assert first != generate_residents(500, WARDS, seed=2, today=TODAY)


def test_the_sample_looks_like_the_population() -> None:
    residents = generate_residents(3000, WARDS, seed=7, today=TODAY)
    assert len(residents) == 3000
    family = Counter(r.full_name.split()[0] for r in residents)
    assert family.most_common(1)[0][0] == "Nguyễn"
    households = Counter(r.household_id for r in residents)
    assert 1 < sum(households.values()) / len(households) < 6
    assert all(r.phone is None or r.phone[:3] in mobile_prefixes() for r in residents)
    assert len({r.phone for r in residents if r.phone}) == sum(1 for r in residents if r.phone)
    assert {r.ward_code for r in residents} == set(WARDS)
    assert any(r.id_number[0] != "0" for r in residents)  # some births registered abroad
    assert any(r.date_of_birth.year >= 2000 for r in residents)


def test_the_seed_file_is_the_loader_s_input(tmp_path: Path) -> None:
    path = write_seed_csv(tmp_path / "seed.csv", 200, WARDS, seed=3, today=TODAY)
    report = load_csv_command(path, today=TODAY)
    assert len(report.result.accepted) == 200
    assert report.result.rejected == []
