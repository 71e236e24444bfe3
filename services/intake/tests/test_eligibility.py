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


def test_the_result_goes_only_the_ways_the_procedure_allows() -> None:
    refusal = online_filing_refusal(4, ["post", "pickup"], "e_result")
    assert refusal is not None and refusal.code == "delivery_mode_not_allowed"
    assert "nhận qua bưu chính công ích" in refusal.message
