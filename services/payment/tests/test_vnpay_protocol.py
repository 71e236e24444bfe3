"""VNPAY 2.1.0 signing, checked against the payment URL VNPAY publishes in its integration guide
(sandbox.vnpayment.vn/apis/docs/huong-dan-tich-hop/). VNPAY does not publish the demo
terminal's secret, so the published URL checks what is signed (fields, order, encoding); the
HMAC-SHA512 over it is checked by round trip and tampering."""

from __future__ import annotations

import hashlib
import hmac
from urllib.parse import parse_qsl, urlsplit

from dvc_payment.domain import vnpay

PUBLISHED = (
    "https://sandbox.vnpayment.vn/paymentv2/vpcpay.html?vnp_Amount=1806000&vnp_Command=pay"
    "&vnp_CreateDate=20210801153333&vnp_CurrCode=VND&vnp_IpAddr=127.0.0.1&vnp_Locale=vn"
    "&vnp_OrderInfo=Thanh+toan+don+hang+%3A5&vnp_OrderType=other"
    "&vnp_ReturnUrl=https%3A%2F%2Fdomainmerchant.vn%2FReturnUrl&vnp_TmnCode=DEMOV210&vnp_TxnRef=5"
    "&vnp_Version=2.1.0&vnp_SecureHash=3e0d61a0c0534b2e36680b3f7277743e8784cc4e1d68fa7d276e79c23be7d6318d338b4"
    "77910a27992f5057bb1582bd44bd82ae8009ffaf6d141219218625c42"
)
SECRET = "SANDBOXSECRETFORTESTS0123456789A"


def published_params() -> dict[str, str]:
    return dict(parse_qsl(urlsplit(PUBLISHED).query))


def test_the_signed_string_is_the_published_url_query_before_its_hash() -> None:
    query = urlsplit(PUBLISHED).query
    assert vnpay.hash_data(published_params()) == query.split("&vnp_SecureHash=")[0]


def test_the_published_hash_is_an_hmac_sha512_in_hex() -> None:
    assert len(published_params()["vnp_SecureHash"]) == 128


def test_the_signature_is_hmac_sha512_of_the_sorted_encoded_fields() -> None:
    params = published_params()
    expected = hmac.new(SECRET.encode(), vnpay.hash_data(params).encode(), hashlib.sha512).hexdigest()
    assert vnpay.sign(params, SECRET) == expected


def test_a_field_changed_after_signing_fails_verification() -> None:
    params = published_params()
    params["vnp_SecureHash"] = vnpay.sign(params, SECRET)
    assert vnpay.verify(params, SECRET)
    assert not vnpay.verify({**params, "vnp_Amount": "1806100"}, SECRET)
    assert not vnpay.verify(params, "ANOTHERSECRET")
    assert vnpay.verify({**params, "vnp_SecureHash": params["vnp_SecureHash"].upper()}, SECRET)


def test_fields_are_sorted_and_encoded_as_vnpays_reference_code_does() -> None:
    data = vnpay.hash_data({"vnp_TxnRef": "A B", "vnp_Amount": "100", "vnp_OrderInfo": "x:~y", "other": "z"})
    assert data == "vnp_Amount=100&vnp_OrderInfo=x%3A%7Ey&vnp_TxnRef=A+B"


def test_the_hash_itself_and_empty_fields_are_not_signed() -> None:
    params = {"vnp_Amount": "100", "vnp_BankCode": "", "vnp_SecureHash": "ab", "vnp_SecureHashType": "x"}
    assert vnpay.hash_data(params) == "vnp_Amount=100"


def test_amounts_travel_times_a_hundred() -> None:
    assert vnpay.to_vnp_amount(7_000) == "700000"
    assert vnpay.from_vnp_amount("700000") == 7_000
    assert vnpay.from_vnp_amount("700050") is None
    assert vnpay.from_vnp_amount("-700000") is None


def test_the_refund_checksum_joins_the_documented_fields_with_pipes() -> None:
    values = {f: f[4:] for f in vnpay.REFUND_FIELDS}
    data = "|".join(f[4:] for f in vnpay.REFUND_FIELDS)
    assert vnpay.checksum(vnpay.REFUND_FIELDS, values, SECRET) == vnpay.hmac_sha512(SECRET, data)
    assert data.startswith("RequestId|Version|Command|TmnCode|TransactionType|TxnRef|Amount|TransactionNo")


def test_order_info_loses_its_diacritics() -> None:
    assert vnpay.ascii_info("Nộp lệ phí hồ sơ đăng ký") == "Nop le phi ho so dang ky"
