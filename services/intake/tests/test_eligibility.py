"""Decree 43/2011 Art. 3: only level 3 and 4 services take dossiers online."""

from __future__ import annotations

import pytest

from dvc_intake.domain.eligibility import online_filing_refusal

ALL_MODES = ["e_result", "post", "pickup"]


@pytest.mark.parametrize("level", [1, 2])
def test_levels_1_and_2_only_inform_and_offer_forms(level: int) -> None:
    refusal = online_filing_refusal(level, ALL_MODES, "pickup")
    assert refusal is not None and refusal.code == "procedure_not_online"
    assert f"mức độ {level}" in refusal.message


@pytest.mark.parametrize("level", [3, 4])
def test_levels_3_and_4_take_dossiers_online(level: int) -> None:
    assert online_filing_refusal(level, ALL_MODES, "pickup") is None


@pytest.mark.parametrize("mode", ["e_result", "post"])
def test_at_level_3_the_result_is_collected_at_the_office(mode: str) -> None:
    refusal = online_filing_refusal(3, ALL_MODES, mode)
    assert refusal is not None and refusal.code == "level3_result_at_office"
    assert "nhận trực tiếp tại cơ quan" in refusal.message


@pytest.mark.parametrize("mode", ["e_result", "post", "pickup"])
def test_at_level_4_the_result_goes_any_way_the_procedure_allows(mode: str) -> None:
    assert online_filing_refusal(4, ALL_MODES, mode) is None


def test_the_result_goes_only_the_ways_the_procedure_allows() -> None:
    refusal = online_filing_refusal(4, ["post", "pickup"], "e_result")
    assert refusal is not None and refusal.code == "delivery_mode_not_allowed"
    assert "nhận qua bưu chính công ích" in refusal.message
