// My inbox: every SMS and e-mail the platform sent me, newest first, with where it is.
import { call } from "/assets/api.js";
import { $, el, say, when } from "/assets/ui.js";
import { citizen, loggedOutBy, requireLogin } from "./common.js";

const CHANNEL = { sms: "Tin nhắn", email: "Thư điện tử" };
const STATUS = {
  queued: "đang chờ gửi",
  retrying: "đang gửi lại",
  sent: "đã gửi",
  delivered: "đã đến nơi",
  dead_lettered: "không gửi được",
};

async function main() {
  if (!requireLogin()) return;
  try {
    const { data } = await call("GET", "notify", "/v1/inbox", { token: citizen.token });
    $("#messages").replaceChildren(
      ...data.map((m) =>
        el(
          "li",
          {},
          el("span", { class: "when", text: `${when(m.queued_at)} — ${CHANNEL[m.channel]} (${STATUS[m.status]})` }),
          el("div", { text: m.summary }),
          el("a", { href: `ho-so.html?ma=${encodeURIComponent(m.dossier_code)}`, text: `Hồ sơ ${m.dossier_code}` }),
        ),
      ),
    );
    if (!data.length) say($("#message"), "Chưa có tin nhắn nào.", "info");
  } catch (error) {
    if (loggedOutBy(error)) return;
    say($("#message"), error.message, "bad");
  }
}

main();
