// One dossier for an officer: its facts, timeline and attachments, and a form for each action
// the state machine allows now (processing lists them in `actions`). Every action carries the
// version the officer saw (If-Match): when another officer acted first, processing answers 409
// and the page says so plainly, then shows the dossier as it now is.
import { call, writtenBy } from "/assets/api.js";
import { $, checkRequired, clearFieldErrors, el, field, param, say, vnd, when } from "/assets/ui.js";
import { STATUS, requireStaff, staff } from "./common.js";

const code = param("ma");
let view = null;
let reasons = [];
let procedure = null;

function facts(pairs) {
  $("#facts").replaceChildren(
    ...pairs.filter(([, v]) => v !== null && v !== undefined && v !== "").flatMap(([t, v]) => [el("dt", { text: t }), el("dd", {}, v)]),
  );
}

async function act(path, body, label) {
  say($("#message"), "");
  try {
    const answer = await call("POST", "processing", `/v1/dossiers/${encodeURIComponent(code)}/${path}`, {
      json: body,
      token: staff.token,
      headers: { "If-Match": `"${view.version}"` },
    });
    view = answer.data;
    staff.wrote(writtenBy(answer)); // the queue, opened next, shows this decision
    show();
    say($("#message"), `Đã ${label}. Trạng thái hiện tại: ${view.status_label}.`, "ok");
  } catch (error) {
    if (error.status === 409) {
      await load();
      say(
        $("#message"),
        `Không thực hiện được: hồ sơ đã được cán bộ khác xử lý hoặc đã thay đổi trước thao tác của ông/bà (${error.message}). ` +
          `Trang đã được cập nhật: trạng thái hiện tại là «${view.status_label}».`,
        "warn",
      );
    } else {
      say($("#message"), error.message, "bad");
    }
  }
  $("#message").scrollIntoView({ block: "nearest" });
}

function actionForm(id, title, fields, button, submit) {
  const form = el("form", { id, class: "action", novalidate: true }, el("h3", { text: title }), ...fields, el("button", { type: "submit", text: button }));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    clearFieldErrors(form);
    if (checkRequired(form)) submit(form);
  });
  return form;
}

function reasonPicker(prefix) {
  const select = el(
    "select",
    { name: `${prefix}-reason`, required: true },
    el("option", { value: "", text: "— Chọn lý do —" }),
    ...reasons.map((r) => el("option", { value: r.code, text: r.label })),
  );
  const basis = el("p", { class: "hint", "aria-live": "polite" });
  select.addEventListener("change", () => {
    const reason = reasons.find((r) => r.code === select.value);
    basis.textContent = reason ? `Căn cứ pháp lý: ${reason.legal_basis}` : "";
  });
  return { select, basis, chosen: () => reasons.find((r) => r.code === select.value) };
}

function supplementForm() {
  const documents = procedure ? procedure.documents : [];
  const rows = documents.map((d, i) => {
    const box = el("input", { type: "checkbox", id: `need-${i}`, "data-code": d.code });
    const note = el("input", { type: "text", id: `need-${i}-note`, value: `Bổ sung: ${d.name}`, "aria-label": `Nội dung cần bổ sung cho «${d.name}»` });
    return el("div", { class: "field check" }, box, " ", el("label", { for: box.id, text: d.name }), note);
  });
  const other = el("textarea", { name: "other", rows: 2 });
  return actionForm(
    "supplement",
    "Yêu cầu bổ sung (một lần, đủ mọi nội dung)",
    [el("fieldset", {}, el("legend", { text: "Giấy tờ cần bổ sung" }), ...rows), field("Nội dung khác cần bổ sung", other)],
    "Gửi yêu cầu bổ sung",
    (form) => {
      const items = [];
      for (const box of form.querySelectorAll("input[type=checkbox]:checked")) {
        const description = $(`#${box.id}-note`).value.trim();
        items.push({ ...(box.dataset.code ? { document_code: box.dataset.code } : {}), description });
      }
      if (other.value.trim()) items.push({ description: other.value.trim() });
      if (!items.length) {
        say($("#message"), "Hãy chọn ít nhất một giấy tờ hoặc ghi nội dung cần bổ sung.", "bad");
        return;
      }
      act("supplement-requests", { items }, "gửi yêu cầu bổ sung");
    },
  );
}

function refusalForm(id, title, button, path, bodyOf, done) {
  const picker = reasonPicker(id);
  const explanation = el("textarea", { name: `${id}-explanation`, rows: 3, required: true });
  return actionForm(
    id,
    title,
    [field("Lý do (theo danh mục)", picker.select), picker.basis, field("Giải thích cho công dân", explanation)],
    button,
    () => {
      const reason = picker.chosen();
      act(path, bodyOf({ reason_code: reason.code, legal_basis: reason.legal_basis, explanation: explanation.value.trim() }), done);
    },
  );
}

const FORMS = {
  accept: () =>
    actionForm("accept", "Tiếp nhận hồ sơ", [el("p", { text: "Hồ sơ đầy đủ, hợp lệ: chuyển sang giải quyết." })], "Tiếp nhận", () =>
      act("accept", undefined, "tiếp nhận hồ sơ"),
    ),
  request_supplement: supplementForm,
  reject: () =>
    refusalForm("reject", "Từ chối tiếp nhận", "Từ chối tiếp nhận", "rejection", (body) => body, "từ chối tiếp nhận"),
  approve: () => {
    const summary = el("input", { type: "text", name: "summary", required: true, value: procedure ? procedure.name : "" });
    return actionForm("approve", "Phê duyệt", [field("Nội dung được phê duyệt", summary)], "Phê duyệt", () =>
      act("decision", { outcome: "approved", summary: summary.value.trim() }, "phê duyệt"),
    );
  },
  refuse: () =>
    refusalForm(
      "refuse",
      "Không giải quyết",
      "Không giải quyết",
      "decision",
      (body) => ({ outcome: "refused", ...body }),
      "ghi nhận không giải quyết",
    ),
  issue_result: () => {
    const form = el("input", { type: "text", name: "result_form", required: true, value: "CT08" });
    const summary = el("input", { type: "text", name: "result_summary", required: true, value: procedure ? procedure.result : "" });
    return actionForm("issue", "Trả kết quả", [field("Mẫu kết quả", form), field("Nội dung kết quả", summary)], "Trả kết quả", () =>
      act("result", { result_form: form.value.trim(), summary: summary.value.trim() }, "trả kết quả"),
    );
  },
  transfer: () => {
    const unit = el("input", { type: "text", name: "to_unit", required: true });
    const reason = el("input", { type: "text", name: "transfer_reason", required: true });
    return actionForm("transfer", "Chuyển đơn vị có thẩm quyền", [field("Mã đơn vị nhận", unit), field("Lý do chuyển", reason)], "Chuyển hồ sơ", () =>
      act("transfer", { to_unit: unit.value.trim(), reason: reason.value.trim() }, "chuyển hồ sơ"),
    );
  },
  assign: () => {
    const officer = el("input", { type: "text", name: "officer_id", required: true });
    return actionForm("assign", "Phân công cán bộ", [field("Mã tài khoản cán bộ", officer)], "Phân công", () =>
      act("assign", { officer_id: officer.value.trim() }, "phân công"),
    );
  },
};

// A fee paid at the counter (level 3): the officer records the receipt; payment publishes it.
function counterReceiptForm() {
  const number = el("input", { type: "text", name: "receipt_number", required: true });
  const amount = el("input", { type: "number", name: "amount_vnd", required: true, value: view.fee_due_vnd - view.fee_paid_vnd });
  return actionForm(
    "counter-receipt",
    "Ghi nhận lệ phí nộp tại quầy",
    [field("Số biên lai", number), field("Số tiền (đồng)", amount)],
    "Ghi nhận biên lai",
    async () => {
      try {
        await call("POST", "payment", `/v1/dossiers/${encodeURIComponent(code)}/counter-receipts`, {
          json: { receipt_number: number.value.trim(), amount_vnd: Number(amount.value) },
          token: staff.token,
        });
        say($("#message"), "Đã ghi nhận biên lai; hồ sơ sẽ hiện đã nộp lệ phí sau ít giây.", "ok");
      } catch (error) {
        say($("#message"), error.message, "bad");
      }
    },
  );
}

function show() {
  $("h1").textContent = `Hồ sơ ${view.dossier_code}`;
  const attachments = view.timeline
    .filter((s) => s.event_type === "Submitted" || s.event_type === "Resubmitted")
    .flatMap((s) => s.details.attachments || []);
  facts([
    ["Trạng thái", el("strong", { id: "status", text: view.status_label || STATUS[view.status] })],
    ["Thủ tục", procedure ? `${procedure.name} (${view.procedure_code})` : view.procedure_code],
    ["Đơn vị", view.unit_name],
    ["Tiếp nhận lúc", when(view.received_at)],
    ["Hạn giải quyết", el("span", {}, when(view.due_at), view.overdue ? el("span", { class: "badge overdue", text: " Quá hạn" }) : null)],
    ["Lệ phí", view.fee_due_vnd !== null ? `${vnd(view.fee_due_vnd)}; đã nộp ${vnd(view.fee_paid_vnd)}` : "Chưa xác định"],
    ["Giấy tờ đính kèm", attachments.length ? attachments.map((a) => a.document_code || a.sha256).join("; ") : "Không có"],
  ]);
  const forms = view.actions.filter((a) => FORMS[a]).map((a) => FORMS[a]());
  if (view.fee_due_vnd && view.fee_paid_vnd < view.fee_due_vnd && !["rejected", "withdrawn"].includes(view.status)) {
    forms.push(counterReceiptForm());
  }
  $("#actions").replaceChildren(...(forms.length ? forms : [el("p", { text: "Không còn thao tác nào ở trạng thái này." })]));
  $("#timeline").replaceChildren(
    ...view.timeline.map((s) =>
      el(
        "li",
        {},
        el("span", { class: "when", text: `${when(s.at)} — ${s.actor.role === "citizen" ? "công dân" : s.actor.role === "system" ? "hệ thống" : `cán bộ ${s.actor.unit || ""}`}` }),
        s.label,
        s.reason ? el("div", { text: `Lý do: ${s.reason}` }) : null,
        s.rule ? el("div", { class: "hint", text: `Căn cứ: ${s.rule}` }) : null,
      ),
    ),
  );
  $("#detail").hidden = false;
}

async function load() {
  ({ data: view } = await call("GET", "processing", `/v1/dossiers/${encodeURIComponent(code)}`, { token: staff.token }));
  if (!procedure && view.procedure_code) {
    try {
      ({ data: procedure } = await call("GET", "catalog", `/v1/procedures/${encodeURIComponent(view.procedure_code)}?version=${view.procedure_version}`));
    } catch {
      procedure = null;
    }
  }
  show();
}

async function main() {
  if (!requireStaff()) return;
  if (!code) {
    say($("#message"), "Chưa chọn hồ sơ.", "warn");
    return;
  }
  try {
    ({ data: reasons } = await call("GET", "processing", "/v1/reasons", { token: staff.token }));
    await load();
  } catch (error) {
    if (error.status === 401) {
      staff.clear();
      window.location.assign("index.html");
      return;
    }
    say($("#message"), error.message, "bad");
  }
}

main();
