"""VNPAY's merchant web API, `POST /merchant_webapi/api/transaction`: `refund`, `querydr` and
`settlement` (the day's transaction list), each checked and signed with the pipe-joined checksum."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from dvc_payment.domain import vnpay

from .gateway import Gateway
from .ledger import Line

FIELDS = {"refund": vnpay.REFUND_FIELDS, "querydr": vnpay.QUERY_FIELDS, "settlement": vnpay.SETTLEMENT_FIELDS}


def merchant_api_routes(gw: Gateway) -> APIRouter:
    routes = APIRouter()

    @routes.post("/merchant_webapi/api/transaction")
    async def transaction_api(request: Request) -> JSONResponse:
        try:
            data: dict[str, Any] = await request.json()
        except ValueError:
            return JSONResponse(
                _reply(gw, {"vnp_Command": "", "vnp_ResponseCode": "03"}, "Dữ liệu sai định dạng")
            )
        return JSONResponse(answer(gw, data))

    return routes


def answer(gw: Gateway, data: dict[str, Any]) -> dict[str, Any]:
    command = str(data.get("vnp_Command", ""))
    fields = FIELDS.get(command)
    base = {"vnp_Command": command, "vnp_TxnRef": str(data.get("vnp_TxnRef", ""))}
    if fields is None:
        return _reply(gw, {**base, "vnp_ResponseCode": "03"}, "Lệnh không hỗ trợ")
    if not vnpay.verify_checksum(fields, data, gw.secret):
        return _reply(gw, {**base, "vnp_ResponseCode": "97"}, "Chữ ký không hợp lệ")
    if data.get("vnp_TmnCode") != gw.credentials.tmn_code:
        return _reply(gw, {**base, "vnp_ResponseCode": "02"}, "Mã định danh kết nối không hợp lệ")
    if command == "settlement":
        return _settlement(gw, data)
    if command == "querydr":
        return _query(gw, data)
    return _refund(gw, data)


def _reply(
    gw: Gateway, values: dict[str, Any], message: str, fields: tuple[str, ...] = vnpay.RESPONSE_FIELDS
) -> dict[str, Any]:
    reply = {
        "vnp_ResponseId": gw.ledger.next_number(),
        "vnp_TmnCode": gw.credentials.tmn_code,
        "vnp_Message": message,
        **{k: str(v) for k, v in values.items()},
    }
    reply[vnpay.HASH_FIELD] = vnpay.checksum(fields, reply, gw.secret)
    return reply


def _query(gw: Gateway, data: dict[str, Any]) -> dict[str, Any]:
    order = gw.ledger.orders.get(str(data["vnp_TxnRef"]))
    if order is None:
        return _reply(
            gw,
            {"vnp_Command": "querydr", "vnp_TxnRef": data["vnp_TxnRef"], "vnp_ResponseCode": "91"},
            "Không tìm thấy giao dịch",
        )
    status = {"paid": "00", "cancelled": "02"}.get(order.status, "01")
    return _reply(
        gw,
        {
            "vnp_Command": "querydr",
            "vnp_ResponseCode": "00",
            "vnp_TxnRef": order.txn_ref,
            "vnp_Amount": order.amount_minor,
            "vnp_BankCode": "NCB",
            "vnp_PayDate": order.pay_date,
            "vnp_TransactionNo": order.transaction_no,
            "vnp_TransactionType": "01",
            "vnp_TransactionStatus": status,
            "vnp_OrderInfo": order.info,
        },
        "Truy vấn thành công",
    )


def _refund(gw: Gateway, data: dict[str, Any]) -> dict[str, Any]:
    ledger = gw.ledger
    request_id = str(data["vnp_RequestId"])
    if request_id in ledger.refund_replies:  # the merchant retrying the same refund
        return ledger.refund_replies[request_id]
    txn_ref = str(data["vnp_TxnRef"])
    order = ledger.orders.get(txn_ref)
    base = {"vnp_Command": "refund", "vnp_TxnRef": txn_ref}
    if order is None or order.status != "paid" or order.transaction_no != str(data.get("vnp_TransactionNo")):
        return _reply(gw, {**base, "vnp_ResponseCode": "91"}, "Không tìm thấy giao dịch yêu cầu hoàn trả")
    amount = int(str(data.get("vnp_Amount", "0")))
    left = order.amount_minor - ledger.refunded_minor("gateway", txn_ref)
    if amount <= 0 or amount > left:
        return _reply(
            gw, {**base, "vnp_ResponseCode": "94"}, "Số tiền hoàn trả vượt quá số tiền còn lại của giao dịch"
        )
    refund_no = ledger.next_number()
    paid_at = gw.now()
    ledger.settle(Line("gateway", "refund", txn_ref, refund_no, amount, paid_at.isoformat()))
    reply = _reply(
        gw,
        {
            **base,
            "vnp_ResponseCode": "00",
            "vnp_Amount": amount,
            "vnp_BankCode": "NCB",
            "vnp_PayDate": vnpay.stamp(paid_at),
            "vnp_TransactionNo": refund_no,
            "vnp_TransactionType": str(data.get("vnp_TransactionType", "02")),
            "vnp_TransactionStatus": "00",
            "vnp_OrderInfo": str(data.get("vnp_OrderInfo", "")),
        },
        "Yêu cầu hoàn tiền thành công",
    )
    ledger.refund_replies[request_id] = reply
    return reply


def _settlement(gw: Gateway, data: dict[str, Any]) -> dict[str, Any]:
    try:  # yyyyMMdd, as VNPAY's own API refuses anything else with code 03
        day = datetime.strptime(str(data["vnp_Date"]), "%Y%m%d").date()
    except ValueError:
        return _reply(gw, {"vnp_Command": "settlement", "vnp_ResponseCode": "03"}, "Dữ liệu sai định dạng")
    lines = [
        {
            "channel": line.channel,
            "kind": line.kind,
            "vnp_TxnRef": line.txn_ref,
            "vnp_TransactionNo": line.transaction_no,
            "vnp_Amount": line.amount_minor,
            "vnp_PayDate": vnpay.stamp(datetime.fromisoformat(line.at)),
        }
        for line in gw.ledger.of_day(day)
    ]
    values = {
        "vnp_Command": "settlement",
        "vnp_ResponseCode": "00",
        "vnp_Date": data["vnp_Date"],
        "vnp_Data": json.dumps(lines, separators=(",", ":")),
    }
    return _reply(gw, values, "Danh sách giao dịch", vnpay.SETTLEMENT_REPLY_FIELDS)
