// The unit's queue, kept current from processing's event stream (GET /v1/stream, server-sent
// events read with fetch so the token travels in a header): a new dossier appears without a
// reload; due-soon and overdue ones stand out.
import { call } from "/assets/api.js";
import { $, el, param, say, when } from "/assets/ui.js";
import { STATUS, staff } from "./common.js";

const DUE_SOON_MS = 24 * 3600 * 1000;
let known = null; // codes shown before the last refresh; null before the first
let lastEventId = null;

function urgency(row) {
  if (row.overdue) return ["overdue", "Quá hạn"];
  if (row.due_at && new Date(row.due_at).getTime() - Date.now() < DUE_SOON_MS) return ["due-soon", "Sắp đến hạn"];
  return [null, null];
}

async function refresh() {
  try {
    const written = staff.written();
    const { data } = await call("GET", "processing", "/v1/queue", { token: staff.token, consistency: written });
    staff.seen(written);
    const rows = data.map((row) => {
      const [kind, label] = urgency(row);
      const fresh = known !== null && !known.has(row.dossier_code);
      return el(
        "tr",
        { class: kind, "data-code": row.dossier_code },
        el(
          "td",
          {},
          el("a", { href: `ho-so.html?ma=${encodeURIComponent(row.dossier_code)}`, class: "code", text: row.dossier_code }),
          fresh ? el("span", { class: "badge new", text: " Mới" }) : null,
        ),
        el("td", { text: row.procedure_code }),
        el("td", { text: STATUS[row.status] || row.status }),
        el("td", { text: when(row.received_at) }),
        el("td", {}, when(row.due_at), label ? el("span", { class: `badge ${kind}`, text: ` ${label}` }) : null),
      );
    });
    $("#rows").replaceChildren(...rows);
    $("#empty").hidden = data.length > 0;
    known = new Set(data.map((row) => row.dossier_code));
  } catch (error) {
    if (error.status === 401) return signOut();
    say($("#message"), error.message, "bad");
  }
}

function signOut() {
  staff.clear();
  window.location.assign("index.html");
}

let pending = null;
function refreshSoon() {
  // Several events of one command arrive together: one refresh for them.
  clearTimeout(pending);
  pending = setTimeout(refresh, 150);
}

async function follow() {
  const live = $("#live");
  for (;;) {
    try {
      const headers = { Authorization: `Bearer ${staff.token}`, Accept: "text/event-stream" };
      if (lastEventId) headers["Last-Event-ID"] = lastEventId;
      const answer = await fetch("/api/processing/v1/stream", { headers });
      if (answer.status === 401) return signOut();
      if (!answer.ok || !answer.body) throw new Error(String(answer.status));
      live.textContent = "Đang cập nhật trực tiếp.";
      document.body.dataset.live = "on";
      const reader = answer.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = "";
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let end;
        while ((end = buffer.indexOf("\n\n")) >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const id = frame.match(/^id: ?(.*)$/m);
          if (id) {
            lastEventId = id[1];
            refreshSoon();
          }
        }
      }
    } catch {
      // fall through: reconnect
    }
    document.body.dataset.live = "off";
    live.textContent = "Mất kết nối, đang kết nối lại…";
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
}

function login() {
  const first = $("#login");
  const otp = $("#verify");
  first.hidden = false;
  let challenge = null;
  first.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      ({ data: challenge } = await call("POST", "identity", "/v1/sessions", {
        json: { id_number: $("#id_number").value.trim(), password: $("#password").value, account_type: "staff" },
      }));
      first.hidden = true;
      otp.hidden = false;
      $("#sent").textContent = `Mã xác thực đã được gửi đến số điện thoại ${challenge.phone_hint}.`;
      say($("#message"), "");
      $("#code").focus();
    } catch (error) {
      say($("#message"), error.message, "bad");
    }
  });
  otp.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      const { data } = await call("POST", "identity", `/v1/sessions/${challenge.challenge_id}/verify`, {
        json: { code: $("#code").value.trim() },
      });
      staff.set(data);
      const next = param("next");
      window.location.assign(next && /^[a-z-]+\.html(\?.*)?$/.test(next) ? next : "index.html");
    } catch (error) {
      say($("#message"), error.message, "bad");
    }
  });
}

if (staff.token) {
  $("#queue").hidden = false;
  refresh().then(follow);
} else {
  $("h1").textContent = "Đăng nhập cán bộ";
  login();
}
