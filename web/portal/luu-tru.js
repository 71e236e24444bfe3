// Lodging notice for hosts: several guests in one notice; as soon as a guest's arrival is
// entered, the legal deadline of their notice is shown (processing's rule: before 23:00 the same
// day, or before 08:00 the next day for an arrival from 23:00), before anything is sent.
import { call, newKey } from "/assets/api.js";
import { $, checkRequired, clearFieldErrors, el, field, say, showFieldError, vietnamInstant, when } from "/assets/ui.js";
import { citizen, loggedOutBy, requireLogin } from "./common.js";

let guests = 0;
let noticeKey = newKey();

async function showDeadline(arrival, output) {
  if (!arrival.value) {
    output.textContent = "";
    return;
  }
  try {
    const { data } = await call("GET", "processing", `/v1/lodging/deadline?arrived_at=${encodeURIComponent(vietnamInstant(arrival.value))}`);
    output.textContent = `Hạn thông báo cho khách này: ${when(data.due_at)}`;
  } catch (error) {
    output.textContent = error.message;
  }
}

function addGuest() {
  const n = guests++;
  const name = (field) => `guests.${n}.${field}`;
  const arrival = el("input", { type: "datetime-local", name: name("arrived_at"), required: true });
  const deadline = el("p", { class: "deadline", role: "status", "aria-live": "polite", "data-deadline": n });
  arrival.addEventListener("change", () => showDeadline(arrival, deadline));
  const box = el(
    "fieldset",
    { class: "guest" },
    el("legend", { text: `Khách thứ ${n + 1}` }),
    field("Họ và tên khách", el("input", { type: "text", name: name("full_name"), required: true })),
    field("Số định danh cá nhân của khách (12 chữ số)", el("input", { type: "text", inputmode: "numeric", name: name("id_number"), required: true })),
    field("Ngày sinh", el("input", { type: "date", name: name("date_of_birth"), required: true })),
    field("Thời điểm khách đến", arrival, "Giờ Việt Nam"),
    deadline,
    field("Lưu trú từ ngày", el("input", { type: "date", name: name("stay_from"), required: true })),
    field("Đến ngày", el("input", { type: "date", name: name("stay_until"), required: true })),
  );
  $("#guests").append(box);
  return box;
}

function guestValues(form) {
  const list = [];
  for (let n = 0; n < guests; n++) {
    const value = (f) => form.querySelector(`[name="guests.${n}.${f}"]`).value.trim();
    list.push({
      full_name: value("full_name"),
      id_number: value("id_number"),
      ...(value("date_of_birth") ? { date_of_birth: value("date_of_birth") } : {}),
      arrived_at: vietnamInstant(value("arrived_at")),
      stay_from: value("stay_from"),
      stay_until: value("stay_until"),
    });
  }
  return list;
}

async function send(event) {
  event.preventDefault();
  const form = $("#notice");
  clearFieldErrors(form);
  say($("#message"), "");
  if (!checkRequired(form)) return;
  try {
    const { data } = await call("POST", "intake", "/v1/lodging-notices", {
      json: {
        establishment: $("#establishment").value.trim(),
        ward_code: $("#ward_code").value.trim(),
        address: $("#address").value.trim(),
        guests: guestValues(form),
      },
      token: citizen.token,
      headers: { "Idempotency-Key": noticeKey },
    });
    noticeKey = newKey();
    form.hidden = true;
    say(
      $("#sent"),
      el(
        "div",
        {},
        el("p", {}, "Đã gửi thông báo lưu trú, mã ", el("span", { class: "code", text: data.notice_code }), "."),
        el("p", { text: `Công an ${data.unit_code} đã nhận lúc ${when(data.filed_at)}; ${data.guests.length} khách.` }),
      ),
      "ok",
    );
  } catch (error) {
    if (loggedOutBy(error)) return;
    const details = error.body.details || {};
    for (const problem of details.fields || []) {
      const input = form.querySelector(`[name="${CSS.escape(problem.field)}"]`);
      if (input) showFieldError(input, problem.message || "Giá trị không hợp lệ.");
    }
    for (const problem of details.guests || []) {
      const input = form.querySelector(`[name="guests.${problem.guest}.${CSS.escape(problem.field)}"]`);
      if (input) showFieldError(input, problem.message);
    }
    say($("#message"), error.message, "bad");
  }
}

if (requireLogin()) {
  addGuest();
  $("#add-guest").addEventListener("click", () => addGuest().querySelector("input").focus());
  $("#notice").addEventListener("submit", send);
  $("#notice").hidden = false;
}
