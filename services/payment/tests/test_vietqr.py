"""VietQR payloads as the NAPAS QR specification (1.5.2) lays them out, with its CRC."""

from __future__ import annotations

import pytest

from dvc_payment.domain import vietqr

# The NAPAS specification's example of a static QR to a card (QRIBFTTC), as reproduced in
# open-source VietQR libraries' compliance tests.
NAPAS_CARD_EXAMPLE = (
    "00020101021138600010A00000072701300006970403011697040311012345670208QRIBFTTC53037045802VN63044F52"
)
# The specification's account example as quoted there: its CRC is what we check.
NAPAS_ACCOUNT_EXAMPLE = (
    "00020101021138570010A00000072701270006970403011200110123456780208QRIBFTTA53037045802VN6304F4E5"
)


def test_the_napas_card_example_is_reproduced_exactly() -> None:
    built = vietqr.payload("970403", "9704031101234567", None, None, service="QRIBFTTC")
    assert built == NAPAS_CARD_EXAMPLE


def test_the_crc_is_crc16_ccitt_false() -> None:
    assert vietqr.crc16_ccitt_false("123456789") == "29B1"  # the algorithm's published check value
    assert vietqr.crc16_ccitt_false(NAPAS_ACCOUNT_EXAMPLE[:-4]) == "F4E5"


def bitwise_crc16_ccitt_false(data: bytes) -> int:
    """The algorithm as the specification states it, bit by bit."""
    crc = 0xFFFF
    for byte in data:
        crc ^= byte << 8
        for _ in range(8):
            crc = (((crc << 1) ^ 0x1021) if crc & 0x8000 else crc << 1) & 0xFFFF
    return crc


def test_the_library_crc_is_the_specifications_bit_by_bit() -> None:
    for text in ("", "6304", NAPAS_CARD_EXAMPLE, "Lệ phí đăng ký tạm trú", "x" * 512):
        assert vietqr.crc16_ccitt_false(text) == f"{bitwise_crc16_ccitt_false(text.encode()):04X}"


def test_a_fee_payload_carries_bank_account_amount_currency_country_and_reference() -> None:
    text = vietqr.payload("970415", "113000000888", 7_000, "DVC 261123K7M3Q9401")
    fields = vietqr.parse(text)
    assert fields["00"] == "01" and fields["01"] == "12"  # dynamic: for this one payment
    assert fields["38.00"] == "A000000727"
    assert fields["38.01.00"] == "970415" and fields["38.01.01"] == "113000000888"
    assert fields["38.02"] == "QRIBFTTA"
    assert fields["53"] == "704" and fields["54"] == "7000" and fields["58"] == "VN"
    assert fields["62.08"] == "DVC 261123K7M3Q9401"
    assert vietqr.reference_in("CT DEN:123 dvc 261123K7M3Q9401 chuyen tien") == "261123K7M3Q9401"


def test_a_changed_payload_fails_its_crc() -> None:
    text = vietqr.payload("970415", "113000000888", 7_000, "DVC 261123K7M3Q9401")
    with pytest.raises(ValueError):
        vietqr.parse(text.replace("54047000", "54047001"))
