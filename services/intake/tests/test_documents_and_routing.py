"""Which papers are missing, and which police unit a dossier goes to."""

from __future__ import annotations

import pytest

from dvc_intake.domain.documents import DocumentRule, document_problems
from dvc_intake.domain.refusal import Refused
from dvc_intake.domain.routing import competent_unit
from dvc_intake.projections.procedure_rules import UnitDirectory, rules_of
from dvc_testing import factories

UNITS = UnitDirectory(factories.catalog_replica())


def test_papers_are_named_by_the_catalog_s_short_codes() -> None:
    rules = rules_of(factories.catalog_replica().version("1.004222", 1))
    assert [d.code for d in rules.documents] == [
        "CT01",
        "CT02",
        "cho-o-hop-phap",
        "dong-y-chu-ho",
        "quan-he-nhan-than",
        "hop-dong-thue-nha",
    ]


def test_every_missing_paper_is_listed_and_the_e_form_counts_as_filled() -> None:
    rules = [
        DocumentRule("CT01", "Tờ khai", required=True, filled_online=True),
        DocumentRule("so-ho-khau", "Giấy tờ chứng minh chỗ ở", required=True),
        DocumentRule("don-dong-y", "Văn bản đồng ý", required=True),
        DocumentRule("giay-uy-quyen", "Giấy ủy quyền", required=False),
    ]
    problems = document_problems(rules, ["don-dong-y", "hoa-don-dien"])
    assert [(p.document_code, p.problem) for p in problems] == [
        ("so-ho-khau", "missing"),
        ("hoa-don-dien", "unknown"),
    ]


def test_absence_declaration_asks_only_for_the_form_filled_online() -> None:
    version = factories.catalog_replica().version("1.003677", 2)
    assert version is not None
    rules = rules_of(version)
    assert document_problems(rules.documents, []) == []
    assert rules.unit_level == "commune"


def test_a_commune_level_dossier_goes_to_the_commune_police_of_the_ward() -> None:
    assert competent_unit("commune", None, "00070", UNITS).code == "CAX-00070"


def test_a_province_level_dossier_goes_to_the_province_police_above_the_ward() -> None:
    assert competent_unit("province", None, "00070", UNITS).code == "CAT-01"
    assert competent_unit("province", None, "26743", UNITS).code == "CAT-79"


def test_a_ministry_level_dossier_goes_to_the_department() -> None:
    assert competent_unit("ministry", "C06", "26743", UNITS).code == "C06"


def test_an_unknown_ward_is_refused() -> None:
    with pytest.raises(Refused) as refused:
        competent_unit("commune", None, "99999", UNITS)
    assert refused.value.code == "unknown_ward" and "99999" in refused.value.message
