"""A procedure version, once published, is what every dossier filed under it keeps."""

from __future__ import annotations

from pathlib import Path

import pytest

from dvc_catalog.adapters import load_catalog
from dvc_catalog.application import CatalogApplication
from dvc_catalog.domain.ledger import PublishedVersionChanged
from dvc_catalog.translation import translate
from dvc_contracts.catalog import ProcedureVersionPublished, UnitPublished


def test_everything_is_published_once(data_copy: Path) -> None:
    app = CatalogApplication()
    catalog = load_catalog(data_copy)
    first = app.publish(catalog)
    assert "1.004194 v1" in first.versions and "1.004194 v2" in first.versions
    assert first.units == len(catalog.units.all())
    again = app.publish(load_catalog(data_copy))
    assert not again


def test_published_events_go_on_the_compacted_topics_keyed_to_keep_every_version(
    data_copy: Path,
) -> None:
    app = CatalogApplication()
    app.publish(load_catalog(data_copy))
    outs = [translate(app.mapper.to_domain_event(n)) for n in app.recorder.select_notifications(1, 10_000)]
    keys = {o.key for o in outs if o and isinstance(o.payload, ProcedureVersionPublished)}
    assert {"1.004194@v1", "1.004194@v2"} <= keys
    units = [o for o in outs if o and isinstance(o.payload, UnitPublished)]
    assert {"catalog.unit.v1"} == {o.topic for o in units}


def test_a_new_version_file_is_a_revision(data_copy: Path) -> None:
    app = CatalogApplication()
    app.publish(load_catalog(data_copy))
    procedure = data_copy / "procedures" / "1.004194"
    v2 = (procedure / "v2.yaml").read_text(encoding="utf-8")
    (procedure / "v3.yaml").write_text(
        v2.replace("version: 2", "version: 3").replace(
            "effective_from: 2025-01-10", "effective_from: 2027-01-01"
        ),
        encoding="utf-8",
    )
    report = app.publish(load_catalog(data_copy))
    assert report.versions == ["1.004194 v3"]
    assert report.units == 0


def test_rewriting_a_published_version_is_refused_and_publishes_nothing(data_copy: Path) -> None:
    app = CatalogApplication()
    app.publish(load_catalog(data_copy))
    before = app.recorder.max_notification_id()
    v1 = data_copy / "procedures" / "1.004194" / "v1.yaml"
    v1.write_text(v1.read_text(encoding="utf-8").replace("15000", "16000"), encoding="utf-8")
    with pytest.raises(PublishedVersionChanged, match=r"1\.004194 version 1"):
        app.publish(load_catalog(data_copy))
    assert app.recorder.max_notification_id() == before


def test_assigning_a_document_code_republishes_the_version_with_the_same_law(data_copy: Path) -> None:
    """Document codes are the catalog's identifiers, not law: a version published before it
    had them (or whose code is shortened) is published again, and consumers replace their copy."""
    app = CatalogApplication()
    app.publish(load_catalog(data_copy))
    v1 = data_copy / "procedures" / "1.004194" / "v1.yaml"
    v1.write_text(
        v1.read_text(encoding="utf-8").replace("code: cho-o-hop-phap", "code: cho-o"), encoding="utf-8"
    )
    report = app.publish(load_catalog(data_copy))
    assert report.versions == ["1.004194 v1", "1.004194 v2"]  # v2 restates v1's documents
    last = app.recorder.select_notifications(app.recorder.max_notification_id() - 1, 1)[0]
    out = translate(app.mapper.to_domain_event(last))
    assert out is not None and out.key == "1.004194@v1"
    assert isinstance(out.payload, ProcedureVersionPublished)
    assert [d.code for d in out.payload.documents] == ["CT01", "cho-o"]
    assert not app.publish(load_catalog(data_copy))


def test_a_version_published_before_document_codes_keeps_its_law_digest(data_copy: Path) -> None:
    """The stored digest of a version published without codes equals the law digest of the same
    version with codes, so an existing store accepts the coded data files."""
    from dvc_catalog.application import _digest, _law_digest
    from dvc_catalog.translation import procedure_version_published

    version = load_catalog(data_copy).procedure("1.004194").version(1)
    document = procedure_version_published(version).model_dump(mode="json")
    documents = [{k: v for k, v in d.items() if k != "code"} for d in document["documents"]]
    without_codes = {**document, "documents": documents}
    assert _law_digest(document) == _digest(without_codes)
    assert _digest(document) != _digest(without_codes)
