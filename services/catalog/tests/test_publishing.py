"""A procedure version, once published, is what every dossier filed under it keeps."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from dvc_catalog.application import CatalogApplication
from dvc_catalog.domain.ledger import PublishedVersionChanged
from dvc_catalog.loading import load_catalog
from dvc_catalog.loading.loader import DATA_DIR
from dvc_catalog.translation import translate
from dvc_contracts.catalog import ProcedureVersionPublished, UnitPublished


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    copy = tmp_path / "data"
    shutil.copytree(DATA_DIR, copy)
    return copy


def test_everything_is_published_once(data_dir: Path) -> None:
    app = CatalogApplication()
    catalog = load_catalog(data_dir)
    first = app.publish(catalog)
    assert "1.004194 v1" in first.versions and "1.004194 v2" in first.versions
    assert first.units == len(catalog.units.all())
    again = app.publish(load_catalog(data_dir))
    assert not again


def test_published_events_go_on_the_compacted_topics_keyed_to_keep_every_version(
    data_dir: Path,
) -> None:
    app = CatalogApplication()
    app.publish(load_catalog(data_dir))
    outs = [translate(app.mapper.to_domain_event(n)) for n in app.recorder.select_notifications(1, 10_000)]
    keys = {o.key for o in outs if o and isinstance(o.payload, ProcedureVersionPublished)}
    assert {"1.004194@v1", "1.004194@v2"} <= keys
    units = [o for o in outs if o and isinstance(o.payload, UnitPublished)]
    assert {"catalog.unit.v1"} == {o.topic for o in units}


def test_a_new_version_file_is_a_revision(data_dir: Path) -> None:
    app = CatalogApplication()
    app.publish(load_catalog(data_dir))
    procedure = data_dir / "procedures" / "1.004194"
    v2 = (procedure / "v2.yaml").read_text(encoding="utf-8")
    (procedure / "v3.yaml").write_text(
        v2.replace("version: 2", "version: 3").replace(
            "effective_from: 2025-01-10", "effective_from: 2027-01-01"
        ),
        encoding="utf-8",
    )
    report = app.publish(load_catalog(data_dir))
    assert report.versions == ["1.004194 v3"]
    assert report.units == 0


def test_rewriting_a_published_version_is_refused_and_publishes_nothing(data_dir: Path) -> None:
    app = CatalogApplication()
    app.publish(load_catalog(data_dir))
    before = app.recorder.max_notification_id()
    v1 = data_dir / "procedures" / "1.004194" / "v1.yaml"
    v1.write_text(v1.read_text(encoding="utf-8").replace("15000", "16000"), encoding="utf-8")
    with pytest.raises(PublishedVersionChanged, match=r"1\.004194 version 1"):
        app.publish(load_catalog(data_dir))
    assert app.recorder.max_notification_id() == before
