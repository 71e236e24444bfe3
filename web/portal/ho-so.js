// My dossiers: what intake filed, then each one's status and timeline as processing tracks it;
// the fee to pay online and the e-result to download when there is one.
import { call, newKey, writtenBy } from "/assets/api.js";
import { $, checkRequired, clearFieldErrors, el, field, param, say, vnd, when } from "/assets/ui.js";
import { citizen, loggedOutBy, requireLogin } from "./common.js";

function facts(list, pairs) {
  list.replaceChildren(
    ...pairs.filter(([, v]) => v !== null && v !== undefined).flatMap(([t, v]) => [el("dt", { text: t }), el("dd", {}, v)]),
  );
}

async function list() {
  const { data } = await call("GET", "intake", "/v1/dossiers", { token: citizen.token });
  const table = $("#dossiers");
  table.tBodies[0].replaceChildren(
    ...data.map((d) =>
      el(
        "tr",
        {},
        el("td", {}, el("a", { href: `ho-so.html?ma=${encodeURIComponent(d.dossier_code)}`, class: "code", text: d.dossier_code })),
        el("td", { text: d.procedure_code }),
        el("td", { text: when(d.submitted_at) }),
        el("td", { text: d.status_label }),
      ),
    ),
  );
  table.hidden = data.length === 0;
  if (!data.length) say($("#message"), "Ông/bà chưa nộp hồ sơ nào.", "info");
  return data;
}

async function pay(code) {
  try {
    const { data } = await call("POST", "payment", `/v1/dossiers/${encodeURIComponent(code)}/payments`, {
      json: { method: "gateway" },
      token: citizen.token,
    });
    window.location.assign(data.redirect_url); // the payment gateway's page
  } catch (error) {
    say($("#message"), error.message, "bad");
  }
}

async function download(dossierId, code) {
  try {
    const answer = await fetch(`/api/delivery/v1/results/${dossierId}/document.pdf`, {
      headers: { Authorization: `Bearer ${citizen.token}` },
    });
    if (!answer.ok) throw new Error("Chưa tải được kết quả. Vui lòng thử lại sau.");
    const url = URL.createObjectURL(await answer.blob());
    const link = el("a", { href: url, download: `ket-qua-${code}.pdf` });
    document.body.append(link);
    link.click();
    link.remove();
  } catch (error) {
    say($("#message"), error.message, "bad");
  }
}

// The officer's supplement request, answered in one go: a file for each paper asked for, and a
// note; intake files it as the dossier's supplement (hồ sơ bổ sung).
function supplementForm(code, items, filed) {
  const key = newKey();
  const inputs = items.map((item) =>
    item.document_code
      ? field(`${item.description} (tệp)`, el("input", { type: "file", "data-document": item.document_code, required: true, accept: "application/pdf,image/jpeg,image/png" }))
      : el("p", { text: `• ${item.description}` }),
  );
  const note = el("textarea", { name: "note", rows: 3 });
  const form = el(
    "form",
    { id: "supplement", novalidate: true },
    el("h2", { text: "Bổ sung hồ sơ theo yêu cầu" }),
    ...inputs,
    field("Ghi chú gửi cán bộ", note),
    el("button", { type: "submit", text: "Gửi hồ sơ bổ sung" }),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearFieldErrors(form);
    if (!checkRequired(form)) return;
    try {
      const attachments = [];
      for (const input of form.querySelectorAll("[data-document]")) {
        const body = new FormData();
        body.append("file", input.files[0], input.files[0].name);
        const { data } = await call("POST", "intake", "/v1/files", { form: body, token: citizen.token });
        attachments.push({ sha256: data.sha256, document_code: input.dataset.document });
      }
      const answer = await call("POST", "intake", `/v1/dossiers/${encodeURIComponent(code)}/supplements`, {
        json: { form_data: {}, attachments, ...(note.value.trim() ? { note: note.value.trim() } : {}) },
        token: citizen.token,
        headers: { "Idempotency-Key": key },
      });
      form.remove();
      say($("#message"), "Đã gửi hồ sơ bổ sung. Cơ quan công an sẽ tiếp tục giải quyết.", "ok");
      const now = (await list()).find((d) => d.dossier_code === code);
      await detail(code, now, writtenBy(answer));
    } catch (error) {
      say($("#message"), error.message, "bad");
    }
  });
  return form;
}

// `written`: the consistency token of the citizen's own last write to this dossier (filing it,
// supplementing it), so the page shows it rather than the state before.
async function detail(code, filed, written) {
  let view;
  try {
    const path = `/v1/dossiers/${encodeURIComponent(code)}`;
    ({ data: view } = await call("GET", "processing", path, { token: citizen.token, consistency: written }));
  } catch (error) {
    // 404: filed, not yet received by the police unit; 503: not shown within 2 s (busy)
    if (![404, 503].includes(error.status) || !filed) throw error;
    view = null;
  }
  $("#detail-title").textContent = `Hồ sơ ${code}`;
  const status = view ? view.status_label : filed.status_label;
  facts($("#detail-facts"), [
    ["Trạng thái", el("strong", { id: "status", text: status })],
    ["Thủ tục", view ? view.procedure_code : filed.procedure_code],
    ["Cơ quan giải quyết", view ? view.unit_name : null],
    ["Tiếp nhận lúc", view && view.received_at ? when(view.received_at) : null],
    ["Hẹn trả kết quả", view && view.due_at ? when(view.due_at) : null],
    ["Lệ phí", view && view.fee_due_vnd !== null ? `${vnd(view.fee_due_vnd)} (đã nộp ${vnd(view.fee_paid_vnd)})` : null],
  ]);
  const actions = $("#detail-actions");
  actions.replaceChildren();
  if (view && view.fee_due_vnd && view.fee_paid_vnd < view.fee_due_vnd) {
    actions.append(el("button", { type: "button", onclick: () => pay(code), text: "Thanh toán lệ phí trực tuyến" }));
  }
  if (view && view.status === "result_issued") {
    actions.append(
      el("button", { type: "button", class: "secondary", onclick: () => download(view.dossier_id, code), text: "Tải kết quả (PDF)" }),
    );
  }
  actions.append(el("button", { type: "button", class: "secondary", onclick: () => detail(code, filed), text: "Cập nhật" }));
  const answer = $("#supplement");
  if (answer) answer.remove();
  if (view && view.status === "supplement_requested" && view.open_supplement.length) {
    $("#detail-actions").after(supplementForm(code, view.open_supplement, filed));
  }
  const steps = view ? view.timeline : [];
  $("#timeline").replaceChildren(
    ...steps.map((s) =>
      el(
        "li",
        {},
        el("span", { class: "when", text: when(s.at) }),
        s.label,
        s.reason ? el("div", { text: `Lý do: ${s.reason}` }) : null,
        s.rule ? el("div", { class: "hint", text: `Căn cứ: ${s.rule}` }) : null,
      ),
    ),
  );
  if (!steps.length) $("#timeline").append(el("li", { text: "Hồ sơ đã gửi, đang chờ cơ quan công an tiếp nhận." }));
  $("#detail").hidden = false;
}

async function main() {
  if (!requireLogin()) return;
  try {
    const filed = await list();
    const code = param("ma");
    if (code) await detail(code, filed.find((d) => d.dossier_code === code), param("consistency"));
  } catch (error) {
    if (loggedOutBy(error)) return;
    say($("#message"), error.message, "bad");
  }
}

main();
