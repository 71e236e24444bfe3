"""VietQR (NAPAS) bank-transfer QR: an EMVCo merchant-presented payload.

Each data object is ID (2 digits) + length (2 digits) + value. VietQR puts the beneficiary under
ID 38: GUID `A000000727` (NAPAS), the beneficiary bank's BIN and account (ID 01: 00 BIN, 01
account) and the service code `QRIBFTTA` (transfer to an account). Amount in ID 54, currency 704
(VND) in 53, country `VN` in 58, the transfer purpose (our order reference) in 62/08, and a
CRC-16/CCITT-FALSE of everything up to and including `6304` in 63 (NAPAS QR specification 1.5.2).
"""

from __future__ import annotations

import binascii
import re

NAPAS_GUID = "A000000727"
TRANSFER_TO_ACCOUNT = "QRIBFTTA"
DYNAMIC = "12"  # point of initiation: a QR for one payment (11 would be reusable)
REFERENCE = re.compile(r"DVC\s*([A-Z0-9]{6,40})")


def tlv(tag: str, value: str) -> str:
    if not 0 < len(value) <= 99:
        raise ValueError(f"VietQR field {tag} must hold 1-99 characters")
    return f"{tag}{len(value):02d}{value}"


def crc16_ccitt_false(data: str) -> str:
    # binascii's CRC-CCITT (polynomial 0x1021, no reflection) from 0xFFFF is CRC-16/CCITT-FALSE.
    return f"{binascii.crc_hqx(data.encode('utf-8'), 0xFFFF):04X}"


def purpose_for(txn_ref: str) -> str:
    """The transfer description the bank passes back; at most 25 characters."""
    return f"DVC {txn_ref}"


def payload(
    bin_code: str,
    account: str,
    amount_vnd: int | None,
    purpose: str | None,
    service: str = TRANSFER_TO_ACCOUNT,
) -> str:
    """`service` is QRIBFTTA for an account number, QRIBFTTC for a card number."""
    beneficiary = tlv("00", bin_code) + tlv("01", account)
    merchant = tlv("00", NAPAS_GUID) + tlv("01", beneficiary) + tlv("02", service)
    initiation = DYNAMIC if amount_vnd else "11"
    body = tlv("00", "01") + tlv("01", initiation) + tlv("38", merchant) + tlv("53", "704")
    if amount_vnd:
        body += tlv("54", str(amount_vnd))
    body += tlv("58", "VN")
    if purpose:
        body += tlv("62", tlv("08", purpose))
    body += "6304"
    return body + crc16_ccitt_false(body)


def parse(text: str) -> dict[str, str]:
    """Top-level objects of a payload, with 38 and 62 flattened as `38.01.00` etc.; raises
    ValueError when the CRC or the structure is wrong."""
    if len(text) < 8 or text[-8:-4] != "6304" or crc16_ccitt_false(text[:-4]) != text[-4:].upper():
        raise ValueError("VietQR CRC mismatch")
    fields: dict[str, str] = {}
    _walk(text[:-8], "", fields)
    return fields


def _walk(text: str, prefix: str, out: dict[str, str]) -> None:
    at = 0
    while at < len(text):
        tag, size = text[at : at + 2], text[at + 2 : at + 4]
        if not size.isdigit() or at + 4 + int(size) > len(text):
            raise ValueError("VietQR structure broken")
        value = text[at + 4 : at + 4 + int(size)]
        key = f"{prefix}{tag}"
        out[key] = value
        if key in ("38", "38.01", "62"):
            _walk(value, key + ".", out)
        at += 4 + int(size)


def reference_in(description: str) -> str | None:
    """Our order reference in a transfer description (banks may drop spaces or add text)."""
    match = REFERENCE.search(description.upper())
    return match.group(1) if match else None
