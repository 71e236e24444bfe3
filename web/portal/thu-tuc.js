// A procedure as the catalog publishes it (fee, deadline, papers), and its online filing: the
// form generated from the catalog's form definition, the papers to attach, the way to receive
// the result. Intake judges the dossier; each of its Vietnamese errors goes next to its field.
import { call, newKey, writtenBy } from "/assets/api.js";
import { $, checkRequired, clearFieldErrors, el, field, param, say, showFieldError, vnd } from "/assets/ui.js";
import { citizen, loggedOutBy, loginUrl } from "./common.js";

const DEADLINE_UNITS = {
  working_days: "ngày làm việc",
  half_working_days: "buổi làm việc",
  calendar_days: "ngày",
};
const UNIT_LEVELS = { ministry: "Cục nghiệp vụ Bộ Công an", province: "Công an cấp tỉnh", commune: "Công an cấp xã" };
const DELIVERY = {
  e_result: "Nhận kết quả điện tử (tệp PDF có chữ ký số)",
  post: "Nhận qua dịch vụ bưu chính",
  pickup: "Nhận trực tiếp tại cơ quan công an",
};
const WARD_FIELD = "noi_de_nghi_ma_xa";

function deadlineText(deadline) {
  if (deadline.kind === "immediate") return "Giải quyết ngay khi nhận đủ hồ sơ hợp lệ";
  return `${deadline.amount} ${DEADLINE_UNITS[deadline.kind]} kể từ khi nhận đủ hồ sơ hợp lệ`;
}

function feeText(fees) {
  if (!fees.items.length) return "Không thu lệ phí";
  return fees.items
    .map((item) => `${item.label}: ${vnd(item.online)} khi nộp trực tuyến (${vnd(item.in_person)} khi nộp trực tiếp)`)
    .join("; ");
}

function facts(list, pairs) {
  list.replaceChildren(...pairs.flatMap(([term, value]) => [el("dt", { text: term }), el("dd", { text: value })]));
}

function showProcedure(p) {
  document.title = `${p.name} — Cổng dịch vụ công Bộ Công an`;
  $("h1").textContent = p.name;
  facts($("#facts"), [
    ["Mã thủ tục", p.code],
    ["Lĩnh vực", p.field_name],
    ["Cơ quan giải quyết", UNIT_LEVELS[p.unit_level] || p.unit_level],
    ["Thời hạn giải quyết", deadlineText(p.deadline)],
    ["Lệ phí", feeText(p.fees)],
    ["Kết quả", p.result],
  ]);
  $("#documents").replaceChildren(
    ...p.documents.map((d) =>
      el("li", {}, d.name, d.required ? "" : " (nếu có)", d.condition ? el("span", { class: "hint", text: d.condition }) : null),
    ),
  );
  $("#legal").replaceChildren(
    ...p.legal_basis.map((c) => el("li", { text: c.provision ? `${c.document}, ${c.provision}` : c.document })),
  );
  $("#procedure").hidden = false;
}

function input(spec, value) {
  const attrs = { name: spec.name, required: spec.required, "data-form-field": "" };
  let node;
  if (spec.type === "enum") {
    node = el(
      "select",
      attrs,
      el("option", { value: "", text: "— Chọn —" }),
      ...(spec.options || []).map((o) => el("option", { value: o.value, text: o.label, selected: o.value === value })),
    );
  } else if (spec.type === "boolean") {
    node = el("input", { ...attrs, type: "checkbox", required: false });
    if (value) node.checked = true;
    return node;
  } else if (spec.type === "date") {
    node = el("input", { ...attrs, type: "date", value });
  } else if (spec.type === "integer") {
    node = el("input", { ...attrs, type: "number", inputmode: "numeric", value });
  } else if (spec.name === "noi_dung_de_nghi" || (spec.max_length || 0) > 300) {
    node = el("textarea", { ...attrs, rows: 3, maxlength: spec.max_length }, value || "");
  } else {
    node = el("input", { ...attrs, type: "text", maxlength: spec.max_length, value });
  }
  return node;
}

function formField(spec, value) {
  const node = input(spec, value);
  const hint = [spec.help, spec.pattern_hint ? `Yêu cầu: ${spec.pattern_hint}` : null].filter(Boolean).join(" ");
  if (spec.type === "boolean") {
    const wrapped = field(spec.label, node, hint || undefined);
    wrapped.classList.add("check");
    wrapped.prepend(node); // the box before its label
    return wrapped;
  }
  return field(spec.required ? `${spec.label} (bắt buộc)` : spec.label, node, hint || undefined);
}

function prefill(me) {
  return {
    ho_ten: me.full_name,
    ngay_sinh: me.date_of_birth,
    so_dinh_danh: me.id_number,
    so_dien_thoai: me.phone,
  };
}

async function showFiling(p) {
  $("#filing").hidden = false;
  if (!citizen.token) {
    $("#login-link").href = loginUrl();
    $("#login-first").hidden = false;
    return;
  }
  let me;
  try {
    ({ data: me } = await call("GET", "identity", "/v1/me", { token: citizen.token }));
  } catch (error) {
    if (loggedOutBy(error)) return;
    throw error;
  }
  const form = $("#dossier");
  const email = el("input", { name: "email", type: "email", autocomplete: "email" });
  $("#applicant").append(
    el(
      "dl",
      { class: "facts" },
      el("dt", { text: "Họ và tên" }),
      el("dd", { text: me.full_name }),
      el("dt", { text: "Số định danh cá nhân" }),
      el("dd", { text: me.id_number }),
      el("dt", { text: "Số điện thoại" }),
      el("dd", { text: me.phone }),
    ),
    field("Email nhận thông báo và kết quả (không bắt buộc)", email),
  );
  const values = prefill(me);
  const fields = (p.form && p.form.fields) || [];
  $("#form-legend").textContent = p.form ? `Tờ khai ${p.form.code}: ${p.form.name}` : "Thông tin đề nghị";
  $("#form-fields").append(...fields.map((spec) => formField(spec, values[spec.name])));
  if (!fields.some((spec) => spec.name === WARD_FIELD)) {
    $("#form-fields").append(
      field(
        "Mã xã, phường nơi cư trú (bắt buộc)",
        el("input", { name: "ward_code", type: "text", inputmode: "numeric", required: true }),
        "Mã đơn vị hành chính cấp xã gồm 5 chữ số",
      ),
    );
  }
  // The procedure's own form is filled above, not attached (intake counts it as given).
  const papers = p.documents.filter((d) => !(d.form_code && p.form && d.form_code === p.form.code));
  $("#attachments").append(
    ...papers.map((d) =>
      field(
        d.required ? `${d.name} (bắt buộc)` : `${d.name} (nếu có)`,
        el("input", {
          type: "file",
          name: `document:${d.code}`,
          // The catalog publishes each paper's short stable code; intake files it under that code.
          "data-document": d.code,
          accept: "application/pdf,image/jpeg,image/png",
        }),
        d.condition || undefined,
      ),
    ),
  );
  if (!papers.length) $("#attachments").append(el("p", { text: "Thủ tục này không cần đính kèm giấy tờ." }));
  const modes = el("div", { role: "radiogroup", "aria-label": "Hình thức nhận kết quả" });
  p.delivery_modes.forEach((mode, index) => {
    const radio = el("input", { type: "radio", name: "delivery_mode", value: mode, id: `delivery-${mode}`, checked: index === 0 });
    modes.append(el("div", { class: "field check" }, radio, " ", el("label", { for: radio.id, text: DELIVERY[mode] || mode })));
  });
  $("#delivery").append(modes, el("span", { class: "error", id: "delivery_mode-error", hidden: true }));
  form.hidden = false;
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    submit(p, me, form, email);
  });
}

function formData(form) {
  const data = {};
  for (const node of form.querySelectorAll("[data-form-field]")) {
    if (node.type === "checkbox") {
      if (node.checked) data[node.name] = true;
    } else if (node.value.trim() !== "") {
      data[node.name] = node.type === "number" ? Number(node.value) : node.value.trim();
    }
  }
  return data;
}

async function upload(file) {
  const body = new FormData();
  body.append("file", file, file.name);
  const { data } = await call("POST", "intake", "/v1/files", { form: body, token: citizen.token });
  return data.sha256;
}

function placeProblems(form, error) {
  const details = error.body.details || {};
  for (const problem of details.fields || []) {
    const name = problem.field === "ward_code" && form.querySelector(`[name="${WARD_FIELD}"]`) ? WARD_FIELD : problem.field;
    if (name === "delivery_mode") {
      const span = $("#delivery_mode-error");
      span.textContent = problem.message;
      span.hidden = false;
      continue;
    }
    const target = form.querySelector(`[name="${CSS.escape(name)}"]`);
    if (target) showFieldError(target, problem.message);
  }
  for (const problem of details.documents || []) {
    const target = form.querySelector(`[data-document="${CSS.escape(problem.document_code)}"]`);
    if (target) showFieldError(target, problem.message);
  }
  const first = form.querySelector("[aria-invalid='true']");
  if (first) first.focus();
}

let submitKey = newKey(); // one dossier per key, however often the button is pressed

async function submit(p, me, form, email) {
  const message = $("#form-message");
  clearFieldErrors(form);
  say(message, "");
  if (!checkRequired(form)) {
    say(message, "Vui lòng điền các mục bắt buộc được đánh dấu.", "bad");
    return;
  }
  const button = form.querySelector("button[type=submit]");
  button.disabled = true;
  try {
    const attachments = [];
    for (const node of form.querySelectorAll("[data-document]")) {
      if (node.files.length) {
        attachments.push({ sha256: await upload(node.files[0]), document_code: node.dataset.document });
      }
    }
    const formValues = formData(form);
    const wardInput = form.querySelector('[name="ward_code"]');
    const body = {
      procedure_code: p.code,
      applicant: {
        id_number: me.id_number,
        full_name: me.full_name,
        date_of_birth: me.date_of_birth,
        phone: me.phone,
        ...(email.value.trim() ? { email: email.value.trim() } : {}),
      },
      ward_code: wardInput ? wardInput.value.trim() : formValues[WARD_FIELD],
      delivery_mode: form.querySelector('[name="delivery_mode"]:checked')?.value,
      form_data: formValues,
      attachments,
    };
    const answer = await call("POST", "intake", "/v1/dossiers", {
      json: body,
      token: citizen.token,
      headers: { "Idempotency-Key": submitKey },
    });
    const { data } = answer;
    const written = writtenBy(answer);
    const page = `ho-so.html?ma=${encodeURIComponent(data.dossier_code)}${written ? `&consistency=${encodeURIComponent(written)}` : ""}`;
    form.hidden = true;
    const done = $("#submitted");
    say(
      done,
      el(
        "div",
        {},
        el("p", {}, "Hồ sơ đã được gửi. Mã hồ sơ: ", el("span", { class: "code", id: "dossier-code", text: data.dossier_code })),
        el("p", { text: "Ông/bà sẽ nhận tin nhắn khi cơ quan công an tiếp nhận hồ sơ." }),
        el("a", { href: page, id: "dossier-link", text: "Xem hồ sơ và quá trình xử lý" }),
      ),
      "ok",
    );
    done.focus();
    submitKey = newKey();
  } catch (error) {
    if (error.status === 422) {
      placeProblems(form, error);
      submitKey = newKey(); // refused, so nothing was filed under this key
    }
    say(message, error.message, "bad");
  } finally {
    button.disabled = false;
  }
}

async function main() {
  const code = param("ma");
  if (!code) {
    say($("#message"), "Chưa chọn thủ tục. Hãy tìm thủ tục ở trang chủ.", "warn");
    return;
  }
  try {
    const { data } = await call("GET", "catalog", `/v1/procedures/${encodeURIComponent(code)}`);
    showProcedure(data);
    if (data.level >= 3) await showFiling(data);
    else say($("#message"), "Thủ tục này chưa nộp được trực tuyến; vui lòng nộp tại cơ quan công an.", "info");
  } catch (error) {
    say($("#message"), error.message, "bad");
  }
}

main();
