"""What the load generator files is what intake's routes take."""

from __future__ import annotations

from datetime import UTC, datetime

import orjson

from bench.workload import Citizen, Host, answer_of, dossier_body, lodging_body
from dvc_intake.api.models import NoticeIn, SubmitDossier
from dvc_testing.e2e import Person

MINH = Person("079090001234", "Trần Văn Minh", "0903123456", "1990-08-21")


def test_a_dossier_body_is_a_complete_filing_naming_its_key() -> None:
    body = dossier_body(Citizen(MINH, "nam", "26743", "token", "a" * 64), "bench-1-2-3")
    filed = SubmitDossier.model_validate_json(body)
    assert (
        filed.procedure_code == "1.004194"
        and "bench-1-2-3" in orjson.loads(body)["form_data"]["noi_dung_de_nghi"]
    )


def test_a_lodging_body_notifies_one_guest_in_hanoi_time() -> None:
    host = Host("Nhà nghỉ Bench 01", "00070", "1 phố Hàng Trống", "token", MINH)
    notice = NoticeIn.model_validate_json(lodging_body(host, datetime(2026, 11, 23, 17, 0, tzinfo=UTC)))
    (guest,) = notice.guests
    assert guest.arrived_at.isoformat() == "2026-11-24T00:00:00+07:00"
    assert (guest.stay_from.isoformat(), guest.stay_until.isoformat()) == ("2026-11-24", "2026-11-26")


def test_an_answer_names_what_was_filed_or_why_not() -> None:
    assert answer_of("lodging", 201, b'{"notice_id": "n-1"}', "k", 3).id == "n-1"
    refused = answer_of("dossier", 503, b'{"code": "busy_try_again"}', "k", 0)
    assert refused.id is None and refused.error is not None and "busy" in refused.error
