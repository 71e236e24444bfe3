// Small DOM helpers shared by the pages: building elements without innerHTML (no markup from
// data), announcing messages to screen readers, errors next to their field, Vietnamese dates.

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === "class") node.className = value;
    else if (name === "text") node.textContent = value;
    else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export const $ = (selector, root = document) => root.querySelector(selector);

// A message in a live region (role="status" or "alert" on the element in the page).
export function say(region, text, kind = "info") {
  region.replaceChildren();
  if (!text) {
    region.hidden = true;
    return;
  }
  region.hidden = false;
  region.className = `notice ${kind}`;
  region.append(typeof text === "string" ? document.createTextNode(text) : text);
}

// A labelled field: <div class="field"><label for=id>label</label><input id=id ...><span error></div>
let counter = 0;
export function field(label, input, hint) {
  const id = input.id || `f${++counter}`;
  input.id = id;
  const error = el("span", { class: "error", id: `${id}-error`, hidden: true });
  const parts = [el("label", { for: id, text: label })];
  const described = [`${id}-error`];
  if (hint) {
    parts.push(el("span", { class: "hint", id: `${id}-hint`, text: hint }));
    described.unshift(`${id}-hint`);
  }
  input.setAttribute("aria-describedby", described.join(" "));
  return el("div", { class: "field" }, ...parts, input, error);
}

export function showFieldError(input, message) {
  const error = document.getElementById(`${input.id}-error`);
  if (!error) return;
  error.textContent = message || "";
  error.hidden = !message;
  if (message) input.setAttribute("aria-invalid", "true");
  else input.removeAttribute("aria-invalid");
}

export function clearFieldErrors(form) {
  for (const input of form.querySelectorAll("[aria-invalid]")) showFieldError(input, "");
  for (const error of form.querySelectorAll(".error")) {
    error.textContent = "";
    error.hidden = true;
  }
}

const DATE_TIME = new Intl.DateTimeFormat("vi-VN", {
  timeZone: "Asia/Ho_Chi_Minh",
  hour: "2-digit",
  minute: "2-digit",
  day: "2-digit",
  month: "2-digit",
  year: "numeric",
});
const DATE = new Intl.DateTimeFormat("vi-VN", {
  timeZone: "Asia/Ho_Chi_Minh",
  day: "2-digit",
  month: "2-digit",
  year: "numeric",
});

// "08:00 ngày 24/11/2026" (Vietnam time, as the law counts).
export function when(iso) {
  if (!iso) return "—";
  const parts = Object.fromEntries(DATE_TIME.formatToParts(new Date(iso)).map((p) => [p.type, p.value]));
  return `${parts.hour}:${parts.minute} ngày ${parts.day}/${parts.month}/${parts.year}`;
}

export function day(iso) {
  return iso ? DATE.format(new Date(iso)) : "—";
}

export function vnd(amount) {
  return `${new Intl.NumberFormat("vi-VN").format(amount)} đồng`;
}

export function param(name) {
  return new URLSearchParams(window.location.search).get(name);
}

// A datetime-local value ("2026-11-23T23:30") read as Vietnam time, with its offset.
export function vietnamInstant(local) {
  return local ? `${local.length === 16 ? `${local}:00` : local}+07:00` : "";
}

// Empty required fields, each told next to it in Vietnamese; true when none is empty.
export function checkRequired(form) {
  let ok = true;
  for (const input of form.querySelectorAll("[required]")) {
    const empty = input.type === "file" ? input.files.length === 0 : !String(input.value).trim();
    if (empty) {
      const label = form.querySelector(`label[for="${CSS.escape(input.id)}"]`);
      showFieldError(input, `Vui lòng nhập «${label ? label.textContent : input.name}».`);
      ok = false;
    }
  }
  const first = form.querySelector("[aria-invalid='true']");
  if (first) first.focus();
  return ok;
}
