"""VNPAY's payment gateway protocol, version 2.1.0 (sandbox.vnpayment.vn/apis/docs).

* Payment URL: the `vnp_*` parameters sorted by name, each key and value form-encoded as VNPAY's
  reference code does (PHP `urlencode`: space as `+`), joined with `&`; `vnp_SecureHash` is the
  HMAC-SHA512 of that string with the merchant's `vnp_HashSecret`, in hex.
* IPN: VNPAY calls the merchant's IPN URL (GET, server to server) with the result, signed the
  same way; the merchant answers JSON `{"RspCode": .., "Message": ..}` (codes below). The
  customer's browser is sent to `vnp_ReturnUrl` with the same parameters, for display only.
* Refund and query (`/merchant_webapi/api/transaction`, POST JSON): the checksum is the
  HMAC-SHA512 of the listed fields' values joined with `|`, in the documented order.

Amounts travel ×100 (VND has no minor unit; VNPAY strips a decimal part that way). Times are
`yyyyMMddHHmmss` in GMT+7.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping, Sequence
from datetime import datetime
from urllib.parse import quote_plus

from dvc_kernel.clock import VIETNAM

VERSION = "2.1.0"
HASH_FIELD = "vnp_SecureHash"
UNSIGNED = frozenset({HASH_FIELD, "vnp_SecureHashType"})

# Merchant's answer to an IPN (RspCode, Message), as VNPAY documents them.
IPN_CONFIRMED = ("00", "Confirm Success")
IPN_ORDER_NOT_FOUND = ("01", "Order not found")
IPN_ALREADY_CONFIRMED = ("02", "Order already confirmed")
IPN_INVALID_AMOUNT = ("04", "Invalid amount")
IPN_INVALID_SIGNATURE = ("97", "Invalid signature")
IPN_UNKNOWN_ERROR = ("99", "Unknown error")
IPN_INPUT_REQUIRED = ("99", "Input data required")

# What VNPAY says of a payment: both codes "00" mean it succeeded.
SUCCESS = "00"
CUSTOMER_CANCELLED = "24"

# The refund request's and response's checksum fields, in order.
REFUND_FIELDS = (
    "vnp_RequestId",
    "vnp_Version",
    "vnp_Command",
    "vnp_TmnCode",
    "vnp_TransactionType",
    "vnp_TxnRef",
    "vnp_Amount",
    "vnp_TransactionNo",
    "vnp_TransactionDate",
    "vnp_CreateBy",
    "vnp_CreateDate",
    "vnp_IpAddr",
    "vnp_OrderInfo",
)
RESPONSE_FIELDS = (
    "vnp_ResponseId",
    "vnp_Command",
    "vnp_ResponseCode",
    "vnp_Message",
    "vnp_TmnCode",
    "vnp_TxnRef",
    "vnp_Amount",
    "vnp_BankCode",
    "vnp_PayDate",
    "vnp_TransactionNo",
    "vnp_TransactionType",
    "vnp_TransactionStatus",
    "vnp_OrderInfo",
)
QUERY_FIELDS = (
    "vnp_RequestId",
    "vnp_Version",
    "vnp_Command",
    "vnp_TmnCode",
    "vnp_TxnRef",
    "vnp_TransactionDate",
    "vnp_CreateDate",
    "vnp_IpAddr",
    "vnp_OrderInfo",
)
# The simulator's daily transaction list (modelled on the merchant portal's reconciliation
# file, which VNPAY does not publish as an API): same checksum scheme.
SETTLEMENT_FIELDS = (
    "vnp_RequestId",
    "vnp_Version",
    "vnp_Command",
    "vnp_TmnCode",
    "vnp_Date",
    "vnp_CreateDate",
)
# Its reply carries the lines as a JSON string in vnp_Data, covered by the checksum.
SETTLEMENT_REPLY_FIELDS = (
    "vnp_ResponseId",
    "vnp_Command",
    "vnp_ResponseCode",
    "vnp_TmnCode",
    "vnp_Date",
    "vnp_Data",
)
FULL_REFUND = "02"


def encode(value: str) -> str:
    """PHP's `urlencode`: space as `+`, every byte but letters, digits and `-_.` escaped."""
    return quote_plus(value, safe="").replace("~", "%7E")


def hash_data(params: Mapping[str, str]) -> str:
    """The string VNPAY signs: `vnp_*` fields with a value, sorted by name, form-encoded."""
    signed = sorted(
        (k, v) for k, v in params.items() if k.startswith("vnp_") and k not in UNSIGNED and v != ""
    )
    return "&".join(f"{encode(k)}={encode(v)}" for k, v in signed)


def hmac_sha512(secret: str, data: str) -> str:
    return hmac.new(secret.encode(), data.encode("utf-8"), hashlib.sha512).hexdigest()


def sign(params: Mapping[str, str], secret: str) -> str:
    return hmac_sha512(secret, hash_data(params))


def verify(params: Mapping[str, str], secret: str) -> bool:
    given = params.get(HASH_FIELD, "")
    return bool(given) and hmac.compare_digest(given.lower(), sign(params, secret))


def signed_query(params: Mapping[str, str], secret: str) -> str:
    """`…?<sorted, encoded fields>&vnp_SecureHash=<hmac>`, as the payment URL carries them."""
    return f"{hash_data(params)}&{HASH_FIELD}={sign(params, secret)}"


def checksum(fields: Sequence[str], values: Mapping[str, object], secret: str) -> str:
    """The API checksum: the listed fields' values joined with `|` (absent as empty)."""
    data = "|".join("" if values.get(f) is None else str(values.get(f)) for f in fields)
    return hmac_sha512(secret, data)


def verify_checksum(fields: Sequence[str], values: Mapping[str, object], secret: str) -> bool:
    given = str(values.get(HASH_FIELD) or "")
    return bool(given) and hmac.compare_digest(given.lower(), checksum(fields, values, secret))


def stamp(instant: datetime) -> str:
    """`yyyyMMddHHmmss` in GMT+7."""
    return instant.astimezone(VIETNAM).strftime("%Y%m%d%H%M%S")


def parse_stamp(text: str) -> datetime:
    return datetime.strptime(text, "%Y%m%d%H%M%S").replace(tzinfo=VIETNAM)


def to_vnp_amount(vnd: int) -> str:
    return str(vnd * 100)


def from_vnp_amount(text: str) -> int | None:
    """VND from VNPAY's ×100 amount; None when it is not a whole number of đồng."""
    if not text.isdigit():
        return None
    minor = int(text)
    return minor // 100 if minor % 100 == 0 else None


def ascii_info(text: str) -> str:
    """Order info must be Vietnamese without diacritics (VNPAY)."""
    import unicodedata

    plain = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in plain if not unicodedata.combining(c) and c.isascii())
