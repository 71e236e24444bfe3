// Public status look-up: the code and the last four digits of the applicant's ID, nothing more
// shown than the status (the gateway limits how fast anyone may guess).
import { call } from "/assets/api.js";
import { $, checkRequired, clearFieldErrors, el, param, say, when } from "/assets/ui.js";
import "./common.js";

const form = $("#lookup");
form.addEventListener("submit", async (event) => {
  event.preventDefault();
  clearFieldErrors(form);
  say($("#result"), "");
  if (!checkRequired(form)) return;
  const code = $("#code").value.trim().toUpperCase();
  const digits = $("#digits").value.trim();
  try {
    const { data } = await call(
      "GET",
      "processing",
      `/v1/public/dossiers/${encodeURIComponent(code)}?id_last_digits=${encodeURIComponent(digits)}`,
    );
    say(
      $("#result"),
      el(
        "div",
        {},
        el("p", {}, "Hồ sơ ", el("span", { class: "code", text: data.dossier_code }), ": ", el("strong", { text: data.status_label })),
        data.due_at ? el("p", { text: `Hẹn trả kết quả: ${when(data.due_at)}` }) : null,
      ),
      "ok",
    );
  } catch (error) {
    const text = error.status === 404 || error.status === 422 ? "Không tìm thấy hồ sơ với mã và 4 chữ số này." : error.message;
    say($("#result"), text, "bad");
  }
});
$("#code").value = param("ma") || "";
