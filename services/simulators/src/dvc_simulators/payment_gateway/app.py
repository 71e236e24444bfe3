"""A sandbox that speaks VNPAY's protocol (and a bank's VietQR side) for development and tests.

* `GET /paymentv2/vpcpay.html?vnp_…` checks the merchant's signature and shows the order with
  two buttons; `POST /paymentv2/confirm` (form: vnp_TxnRef, action=pay|cancel) settles it, calls
  the merchant's IPN with the signed result (retrying until it answers 00 or 02, as VNPAY does)
  and redirects the browser to vnp_ReturnUrl with the same parameters.
* `POST /merchant_webapi/api/transaction` answers `refund`, `querydr` and `settlement` (the day's
  transaction list), each checked and signed with the pipe-joined checksum.
* The bank: `POST /bank/v1/transfers` plays a payer's banking app scanning a VietQR code (it
  reads the payload, checks its CRC) and notifies the merchant with a signed webhook;
  `POST /bank/v1/refunds` pays a transfer back.
* `POST /sim/ipn/resend` and `POST /bank/v1/transfers/{id}/resend` send a notification again, as
  a gateway retrying would: the merchant must not count it twice.
"""

from __future__ import annotations

import asyncio
import html
import json
import logging
from datetime import datetime
from typing import Any
from urllib.parse import parse_qsl, urlencode

import httpx
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from dvc_kernel.clock import VIETNAM
from dvc_payment.adapters.bank import SIGNATURE_HEADER, body_signature, signature_matches
from dvc_payment.adapters.credentials import MerchantCredentials
from dvc_payment.domain import vietqr, vnpay
from dvc_payment.settings import BANK_NOTIFICATION_PATH, IPN_PATH

from .ledger import Ledger, Line, SimOrder, Transfer

log = logging.getLogger(__name__)

IPN_TRIES = 5
PAY_REQUIRED = ("vnp_Version", "vnp_Command", "vnp_TmnCode", "vnp_Amount", "vnp_TxnRef", "vnp_ReturnUrl")


def create_app(
    credentials: MerchantCredentials, merchant_url: str, ledger: Ledger, bank_bin: str, bank_account: str
) -> FastAPI:
    http = FastAPI(title="Payment gateway simulator (VNPAY 2.1.0, VietQR bank)", version="0.1.0")
    secret = credentials.hash_secret
    merchant_url = merchant_url.rstrip("/")

    def now() -> datetime:
        return datetime.now(VIETNAM)

    @http.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "ok", "service": "payment-gateway-sim"}

    # -- the payment page ------------------------------------------------------------------------

    @http.get("/paymentv2/vpcpay.html", response_class=HTMLResponse)
    async def pay_page(request: Request) -> HTMLResponse:
        params = dict(request.query_params)
        problem = _check_pay_request(params, credentials)
        if problem:
            return _page("Giao dịch không hợp lệ", f"<p>{html.escape(problem)}</p>", 400)
        txn_ref = params["vnp_TxnRef"]
        known = ledger.orders.get(txn_ref)
        if known is not None and known.status != "pending":
            return _page("Giao dịch đã tồn tại", "<p>Đơn hàng này đã được xử lý.</p>", 409)
        order = SimOrder(
            txn_ref=txn_ref,
            amount_minor=int(params["vnp_Amount"]),
            info=params.get("vnp_OrderInfo", ""),
            return_url=params["vnp_ReturnUrl"],
            created=params.get("vnp_CreateDate", vnpay.stamp(now())),
        )
        ledger.orders[txn_ref] = order
        amount = f"{order.amount_minor // 100:,}".replace(",", ".")
        body = (
            f"<p>Đơn hàng <b>{html.escape(txn_ref)}</b>: {html.escape(order.info)}</p>"
            f"<p>Số tiền: <b>{amount} VND</b></p>"
            f'<form method="post" action="/paymentv2/confirm">'
            f'<input type="hidden" name="vnp_TxnRef" value="{html.escape(txn_ref)}">'
            f'<button name="action" value="pay">Thanh toán</button> '
            f'<button name="action" value="cancel">Hủy giao dịch</button></form>'
        )
        return _page("Cổng thanh toán (môi trường thử nghiệm)", body, 200)

    @http.post("/paymentv2/confirm")
    async def confirm(request: Request) -> Response:
        form = dict(parse_qsl((await request.body()).decode()))
        order = ledger.orders.get(form.get("vnp_TxnRef", ""))
        if order is None or order.status != "pending":
            return _page("Giao dịch không tồn tại", "<p>Không tìm thấy đơn hàng đang chờ.</p>", 404)
        paid = form.get("action") == "pay"
        order.status = "paid" if paid else "cancelled"
        order.transaction_no = ledger.next_number() if paid else "0"
        order.pay_date = vnpay.stamp(now())
        result = {
            "vnp_Amount": str(order.amount_minor),
            "vnp_BankCode": form.get("bank_code", "NCB"),
            "vnp_BankTranNo": f"VNP{order.transaction_no}" if paid else "",
            "vnp_CardType": "ATM",
            "vnp_OrderInfo": order.info,
            "vnp_PayDate": order.pay_date,
            "vnp_ResponseCode": vnpay.SUCCESS if paid else vnpay.CUSTOMER_CANCELLED,
            "vnp_TmnCode": credentials.tmn_code,
            "vnp_TransactionNo": order.transaction_no,
            "vnp_TransactionStatus": vnpay.SUCCESS if paid else "02",
            "vnp_TxnRef": order.txn_ref,
        }
        result = {k: v for k, v in result.items() if v != ""}
        result[vnpay.HASH_FIELD] = vnpay.sign(result, secret)
        order.result = result
        if paid:
            at = vnpay.parse_stamp(order.pay_date).isoformat()
            ledger.settle(
                Line("gateway", "payment", order.txn_ref, order.transaction_no, order.amount_minor, at)
            )
        answer = await _notify_ipn(result)
        location = f"{order.return_url}{'&' if '?' in order.return_url else '?'}{urlencode(result)}"
        return RedirectResponse(location, 302, headers={"X-Sim-Ipn-Answer": json.dumps(answer)})

    async def _notify_ipn(result: dict[str, str]) -> dict[str, Any]:
        answer: dict[str, Any] = {}
        for attempt in range(IPN_TRIES):
            try:
                async with httpx.AsyncClient(timeout=10) as client:
                    reply = await client.get(f"{merchant_url}{IPN_PATH}", params=result)
                answer = reply.json()
                if answer.get("RspCode") in ("00", "02"):
                    return answer
            except (httpx.HTTPError, ValueError) as exc:
                answer = {"error": str(exc)}
            log.warning("IPN for %s answered %s; retrying", result.get("vnp_TxnRef"), answer)
            await asyncio.sleep(0.5 * (attempt + 1))
        return answer

    @http.post("/sim/ipn/resend")
    async def resend(request: Request) -> JSONResponse:
        data = await request.json()
        order = ledger.orders.get(str(data.get("vnp_TxnRef", "")))
        if order is None or not order.result:
            return JSONResponse({"error": "no settled order with this vnp_TxnRef"}, 404)
        return JSONResponse(await _notify_ipn(order.result))

    # -- merchant web API: refund, querydr, settlement ---------------------------------------------

    @http.post("/merchant_webapi/api/transaction")
    async def transaction_api(request: Request) -> JSONResponse:
        try:
            data: dict[str, Any] = await request.json()
        except ValueError:
            return JSONResponse(
                _reply({"vnp_Command": "", "vnp_ResponseCode": "03"}, "Dữ liệu sai định dạng")
            )
        command = str(data.get("vnp_Command", ""))
        fields = {
            "refund": vnpay.REFUND_FIELDS,
            "querydr": vnpay.QUERY_FIELDS,
            "settlement": vnpay.SETTLEMENT_FIELDS,
        }.get(command)
        base = {"vnp_Command": command, "vnp_TxnRef": str(data.get("vnp_TxnRef", ""))}
        if fields is None:
            return JSONResponse(_reply({**base, "vnp_ResponseCode": "03"}, "Lệnh không hỗ trợ"))
        if not vnpay.verify_checksum(fields, data, secret):
            return JSONResponse(_reply({**base, "vnp_ResponseCode": "97"}, "Chữ ký không hợp lệ"))
        if data.get("vnp_TmnCode") != credentials.tmn_code:
            return JSONResponse(
                _reply({**base, "vnp_ResponseCode": "02"}, "Mã định danh kết nối không hợp lệ")
            )
        if command == "settlement":
            return JSONResponse(_settlement(data))
        if command == "querydr":
            return JSONResponse(_query(data))
        return JSONResponse(_refund(data))

    def _reply(
        values: dict[str, Any], message: str, fields: tuple[str, ...] = vnpay.RESPONSE_FIELDS
    ) -> dict[str, Any]:
        reply = {
            "vnp_ResponseId": ledger.next_number(),
            "vnp_TmnCode": credentials.tmn_code,
            "vnp_Message": message,
            **{k: str(v) for k, v in values.items()},
        }
        reply[vnpay.HASH_FIELD] = vnpay.checksum(fields, reply, secret)
        return reply

    def _query(data: dict[str, Any]) -> dict[str, Any]:
        order = ledger.orders.get(str(data["vnp_TxnRef"]))
        if order is None:
            return _reply(
                {"vnp_Command": "querydr", "vnp_TxnRef": data["vnp_TxnRef"], "vnp_ResponseCode": "91"},
                "Không tìm thấy giao dịch",
            )
        status = {"paid": "00", "cancelled": "02"}.get(order.status, "01")
        return _reply(
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

    def _refund(data: dict[str, Any]) -> dict[str, Any]:
        request_id = str(data["vnp_RequestId"])
        if request_id in ledger.refund_replies:  # the merchant retrying the same refund
            return ledger.refund_replies[request_id]
        txn_ref = str(data["vnp_TxnRef"])
        order = ledger.orders.get(txn_ref)
        base = {"vnp_Command": "refund", "vnp_TxnRef": txn_ref}
        if (
            order is None
            or order.status != "paid"
            or order.transaction_no != str(data.get("vnp_TransactionNo"))
        ):
            return _reply({**base, "vnp_ResponseCode": "91"}, "Không tìm thấy giao dịch yêu cầu hoàn trả")
        amount = int(str(data.get("vnp_Amount", "0")))
        left = order.amount_minor - ledger.refunded_minor("gateway", txn_ref)
        if amount <= 0 or amount > left:
            return _reply(
                {**base, "vnp_ResponseCode": "94"}, "Số tiền hoàn trả vượt quá số tiền còn lại của giao dịch"
            )
        refund_no = ledger.next_number()
        paid_at = now()
        ledger.settle(Line("gateway", "refund", txn_ref, refund_no, amount, paid_at.isoformat()))
        reply = _reply(
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

    def _settlement(data: dict[str, Any]) -> dict[str, Any]:
        try:  # yyyyMMdd, as VNPAY's own API refuses anything else with code 03
            day = datetime.strptime(str(data["vnp_Date"]), "%Y%m%d").date()
        except ValueError:
            return _reply({"vnp_Command": "settlement", "vnp_ResponseCode": "03"}, "Dữ liệu sai định dạng")
        lines = [
            {
                "channel": line.channel,
                "kind": line.kind,
                "vnp_TxnRef": line.txn_ref,
                "vnp_TransactionNo": line.transaction_no,
                "vnp_Amount": line.amount_minor,
                "vnp_PayDate": vnpay.stamp(datetime.fromisoformat(line.at)),
            }
            for line in ledger.of_day(day)
        ]
        values = {
            "vnp_Command": "settlement",
            "vnp_ResponseCode": "00",
            "vnp_Date": data["vnp_Date"],
            "vnp_Data": json.dumps(lines, separators=(",", ":")),
        }
        return _reply(values, "Danh sách giao dịch", vnpay.SETTLEMENT_REPLY_FIELDS)

    # -- the bank: VietQR transfers and refunds ----------------------------------------------------

    def _signed(body: dict[str, Any], status: int = 200) -> Response:
        raw = json.dumps(body, ensure_ascii=False).encode()
        headers = {SIGNATURE_HEADER: body_signature(credentials.bank_webhook_secret, raw)}
        return Response(raw, status, headers=headers, media_type="application/json")

    async def _notify_transfer(transfer: Transfer) -> dict[str, Any]:
        body = json.dumps(
            {
                "transaction_id": transfer.transaction_id,
                "bin": bank_bin,
                "account_no": transfer.account_no,
                "amount": transfer.amount,
                "description": transfer.description,
                "transferred_at": transfer.transferred_at,
            },
            ensure_ascii=False,
        ).encode()
        headers = {
            SIGNATURE_HEADER: body_signature(credentials.bank_webhook_secret, body),
            "Content-Type": "application/json",
        }
        try:
            async with httpx.AsyncClient(timeout=10) as client:
                reply = await client.post(
                    f"{merchant_url}{BANK_NOTIFICATION_PATH}", content=body, headers=headers
                )
            answer: dict[str, Any] = reply.json()
            return answer
        except (httpx.HTTPError, ValueError) as exc:
            return {"error": str(exc)}

    @http.post("/bank/v1/transfers")
    async def transfer(request: Request) -> JSONResponse:
        """A payer's bank app scanned a VietQR code and sends the money (amount and description
        may be overridden, as a payer can edit them)."""
        data: dict[str, Any] = await request.json()
        try:
            fields = vietqr.parse(str(data.get("payload", "")))
        except ValueError as exc:
            return JSONResponse({"error": f"mã QR không hợp lệ: {exc}"}, 400)
        account = fields.get("38.01.01", "")
        if (
            fields.get("38.00") != vietqr.NAPAS_GUID
            or fields.get("38.01.00") != bank_bin
            or account != bank_account
        ):
            return JSONResponse({"error": "tài khoản thụ hưởng không thuộc ngân hàng này"}, 400)
        amount = int(data.get("amount") or fields.get("54") or 0)
        if amount <= 0:
            return JSONResponse({"error": "số tiền không hợp lệ"}, 400)
        moved = Transfer(
            transaction_id=f"FT{ledger.next_number()}",
            account_no=account,
            amount=amount,
            description=str(data.get("description") or fields.get("62.08", "")),
            transferred_at=now().isoformat(),
        )
        ledger.transfers[moved.transaction_id] = moved
        txn_ref = vietqr.reference_in(moved.description) or moved.description
        ledger.settle(
            Line("vietqr", "payment", txn_ref, moved.transaction_id, amount * 100, moved.transferred_at)
        )
        answer = await _notify_transfer(moved)
        return JSONResponse({"transaction_id": moved.transaction_id, "merchant_answer": answer})

    @http.post("/bank/v1/transfers/{transaction_id}/resend")
    async def resend_transfer(transaction_id: str) -> JSONResponse:
        moved = ledger.transfers.get(transaction_id)
        if moved is None:
            return JSONResponse({"error": "no such transfer"}, 404)
        return JSONResponse(await _notify_transfer(moved))

    @http.post("/bank/v1/refunds")
    async def bank_refund(request: Request) -> Response:
        raw = await request.body()
        if not signature_matches(credentials.bank_webhook_secret, raw, request.headers.get(SIGNATURE_HEADER)):
            return _signed({"code": "97", "message": "Chữ ký không hợp lệ"}, 401)
        data: dict[str, Any] = json.loads(raw)
        request_id = str(data.get("request_id", ""))
        if request_id in ledger.bank_refunds:
            return _signed(ledger.bank_refunds[request_id])
        moved = ledger.transfers.get(str(data.get("transaction_id", "")))
        amount = int(data.get("amount", 0))
        if moved is None:
            return _signed({"code": "91", "message": "Không tìm thấy giao dịch"})
        if amount <= 0 or amount > moved.amount - moved.refunded:
            return _signed({"code": "94", "message": "Số tiền hoàn vượt quá số đã nhận"})
        moved.refunded += amount
        refund_id = f"RF{ledger.next_number()}"
        at = now().isoformat()
        txn_ref = vietqr.reference_in(moved.description) or moved.description
        ledger.settle(Line("vietqr", "refund", txn_ref, refund_id, amount * 100, at))
        reply: dict[str, object] = {
            "code": "00",
            "message": "Hoàn tiền thành công",
            "refund_id": refund_id,
            "refunded_at": at,
        }
        ledger.bank_refunds[request_id] = reply
        return _signed(reply)

    return http


def _check_pay_request(params: dict[str, str], credentials: MerchantCredentials) -> str | None:
    if any(not params.get(k) for k in PAY_REQUIRED):
        return "Thiếu tham số bắt buộc."
    if not vnpay.verify(params, credentials.hash_secret):
        return "Sai chữ ký (vnp_SecureHash)."
    if params["vnp_TmnCode"] != credentials.tmn_code:
        return "Website này chưa được phê duyệt (vnp_TmnCode)."
    if params["vnp_Command"] != "pay" or params["vnp_Version"] != vnpay.VERSION:
        return "Phiên bản hoặc lệnh không hỗ trợ."
    amount = params["vnp_Amount"]
    if not amount.isdigit() or int(amount) <= 0 or int(amount) % 100:
        return "Số tiền không hợp lệ."
    expires = params.get("vnp_ExpireDate")
    if expires and vnpay.parse_stamp(expires) < datetime.now(VIETNAM):
        return "Giao dịch đã quá thời gian chờ thanh toán."
    return None


def _page(title: str, body: str, status: int) -> HTMLResponse:
    content = (
        f'<!doctype html><html lang="vi"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title></head>"
        f"<body><h1>{html.escape(title)}</h1>{body}</body></html>"
    )
    return HTMLResponse(content, status)
