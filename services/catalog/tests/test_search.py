"""Search by field, level and text, with or without Vietnamese diacritics."""

from __future__ import annotations

from dvc_catalog.domain.catalog import Catalog
from dvc_catalog.domain.text import fold

from .conftest import TODAY


def names(catalog: Catalog, **filters: object) -> list[str]:
    return [v.name for v in catalog.search(at=TODAY, **filters)]  # type: ignore[arg-type]


def test_folding_strips_diacritics_and_maps_d_stroke() -> None:
    assert fold("Đăng ký TẠM TRÚ") == "dang ky tam tru"
    assert fold("Điều chỉnh, thông tin!") == "dieu chinh thong tin"


def test_dang_ky_tam_tru_finds_dang_ky_tam_tru_first(catalog: Catalog) -> None:
    for q in ("dang ky tam tru", "Đăng ký tạm trú", "DANG KY TAM TRU", "đăng ky tam trú"):
        found = names(catalog, q=q)
        assert found[0] == "Đăng ký tạm trú", q
        assert "Đăng ký thường trú" not in found


def test_words_match_as_prefixes_and_codes_are_searchable(catalog: Catalog) -> None:
    assert names(catalog, q="ho chieu") == ["Cấp hộ chiếu phổ thông ở trong nước (thực hiện tại cấp tỉnh)"]
    assert names(catalog, q="1.004222") == ["Đăng ký thường trú"]
    assert names(catalog, q="nhap sinh") == ["Đăng ký thường trú"]


def test_filter_by_field_and_level(catalog: Catalog) -> None:
    residence = catalog.search(at=TODAY, field="cu_tru")
    assert len(residence) == 11 and all(v.field.code == "cu_tru" for v in residence)
    seals = catalog.search(at=TODAY, field="con_dau", level=3)
    assert len(seals) == 5
    assert catalog.search(at=TODAY, field="con_dau", level=4) == []
    assert len(catalog.search(at=TODAY, field="cu_tru", q="xoa")) == 2


def test_no_match_is_an_empty_list(catalog: Catalog) -> None:
    assert names(catalog, q="giay phep lai xe") == []
