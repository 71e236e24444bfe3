"""VNPAY's payment page: `GET /paymentv2/vpcpay.html?vnp_…` checks the merchant's signature and
shows the order with two buttons; `POST /paymentv2/confirm` settles it, calls the merchant's IPN
with the signed result (retrying until it answers 00 or 02, as VNPAY does) and redirects the
browser to vnp_ReturnUrl. `POST /sim/ipn/resend` sends an IPN again, as a retrying gateway would."""

from __future__ import annotations

import asyncio
import html
import json
import logging
from datetime import datetime
from typing import Any
from urllib.parse import parse_qsl, urlencode

import httpx
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from dvc_kernel.clock import VIETNAM
from dvc_payment.adapters.credentials import MerchantCredentials
from dvc_payment.domain import vnpay
from dvc_payment.settings import IPN_PATH

from .gateway import Gateway
from .ledger import Line, SimOrder

log = logging.getLogger(__name__)

IPN_TRIES = 5
PAY_REQUIRED = ("vnp_Version", "vnp_Command", "vnp_TmnCode", "vnp_Amount", "vnp_TxnRef", "vnp_ReturnUrl")


def vnpay_routes(gw: Gateway) -> APIRouter:
    routes = APIRouter()

    @routes.get("/paymentv2/vpcpay.html", response_class=HTMLResponse)
    async def pay_page(request: Request) -> HTMLResponse:
        return show_order(gw, dict(request.query_params))

    @routes.post("/paymentv2/confirm")
    async def confirm(request: Request) -> Response:
        return await settle(gw, dict(parse_qsl((await request.body()).decode())))

    @routes.post("/sim/ipn/resend")
    async def resend(request: Request) -> JSONResponse:
        data = await request.json()
        order = gw.ledger.orders.get(str(data.get("vnp_TxnRef", "")))
        if order is None or not order.result:
            return JSONResponse({"error": "no settled order with this vnp_TxnRef"}, 404)
        return JSONResponse(await notify_ipn(gw, order.result))

    return routes


def show_order(gw: Gateway, params: dict[str, str]) -> HTMLResponse:
    problem = _check_pay_request(params, gw.credentials)
    if problem:
        return _page("Giao dịch không hợp lệ", f"<p>{html.escape(problem)}</p>", 400)
    txn_ref = params["vnp_TxnRef"]
    known = gw.ledger.orders.get(txn_ref)
    if known is not None and known.status != "pending":
        return _page("Giao dịch đã tồn tại", "<p>Đơn hàng này đã được xử lý.</p>", 409)
    order = SimOrder(
        txn_ref=txn_ref,
        amount_minor=int(params["vnp_Amount"]),
        info=params.get("vnp_OrderInfo", ""),
        return_url=params["vnp_ReturnUrl"],
        created=params.get("vnp_CreateDate", vnpay.stamp(gw.now())),
    )
    gw.ledger.orders[txn_ref] = order
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


async def settle(gw: Gateway, form: dict[str, str]) -> Response:
    """The payer pressed pay or cancel: the signed result goes to the IPN, then the browser."""
    order = gw.ledger.orders.get(form.get("vnp_TxnRef", ""))
    if order is None or order.status != "pending":
        return _page("Giao dịch không tồn tại", "<p>Không tìm thấy đơn hàng đang chờ.</p>", 404)
    paid = form.get("action") == "pay"
    order.status = "paid" if paid else "cancelled"
    order.transaction_no = gw.ledger.next_number() if paid else "0"
    order.pay_date = vnpay.stamp(gw.now())
    result = {
        "vnp_Amount": str(order.amount_minor),
        "vnp_BankCode": form.get("bank_code", "NCB"),
        "vnp_BankTranNo": f"VNP{order.transaction_no}" if paid else "",
        "vnp_CardType": "ATM",
        "vnp_OrderInfo": order.info,
        "vnp_PayDate": order.pay_date,
        "vnp_ResponseCode": vnpay.SUCCESS if paid else vnpay.CUSTOMER_CANCELLED,
        "vnp_TmnCode": gw.credentials.tmn_code,
        "vnp_TransactionNo": order.transaction_no,
        "vnp_TransactionStatus": vnpay.SUCCESS if paid else "02",
        "vnp_TxnRef": order.txn_ref,
    }
    result = {k: v for k, v in result.items() if v != ""}
    result[vnpay.HASH_FIELD] = vnpay.sign(result, gw.secret)
    order.result = result
    if paid:
        at = vnpay.parse_stamp(order.pay_date).isoformat()
        gw.ledger.settle(
            Line("gateway", "payment", order.txn_ref, order.transaction_no, order.amount_minor, at)
        )
    answer = await notify_ipn(gw, result)
    location = f"{order.return_url}{'&' if '?' in order.return_url else '?'}{urlencode(result)}"
    return RedirectResponse(location, 302, headers={"X-Sim-Ipn-Answer": json.dumps(answer)})


async def notify_ipn(gw: Gateway, result: dict[str, str]) -> dict[str, Any]:
    answer: dict[str, Any] = {}
    for attempt in range(IPN_TRIES):
        try:
            async with httpx.AsyncClient(timeout=10) as client:
                reply = await client.get(f"{gw.merchant_url}{IPN_PATH}", params=result)
            answer = reply.json()
            if answer.get("RspCode") in ("00", "02"):
                return answer
        except (httpx.HTTPError, ValueError) as exc:
            answer = {"error": str(exc)}
        log.warning("IPN for %s answered %s; retrying", result.get("vnp_TxnRef"), answer)
        await asyncio.sleep(0.5 * (attempt + 1))
    return answer


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
