// Public verification of an e-result: by the code printed beside its QR code (the QR code opens
// this page with ?ma=<code>), or by uploading the PDF: only an unaltered file signed by a unit
// of the platform is authentic.
import { call } from "/assets/api.js";
import { $, checkRequired, clearFieldErrors, el, param, say, when } from "/assets/ui.js";
import "./common.js";

const result = $("#result");

async function byCode(code) {
  try {
    const { data } = await call("GET", "delivery", `/v1/verify/${encodeURIComponent(code)}`);
    say(
      result,
      el(
        "div",
        {},
        el("p", {}, el("strong", { text: "Mã xác thực hợp lệ." }), ` Kết quả của hồ sơ ${data.dossier_code}`),
        el("p", { text: `Cơ quan cấp: ${data.issued_by || "—"}; ngày cấp: ${when(data.issued_at)}.` }),
        el("p", { text: "Để chắc chắn tệp ông/bà đang giữ không bị sửa, hãy kiểm tra cả tệp PDF bên dưới." }),
      ),
      "ok",
    );
  } catch (error) {
    say(result, error.status === 404 ? "Mã xác thực không đúng: không có kết quả nào mang mã này." : error.message, "bad");
  }
}

$("#by-code").addEventListener("submit", (event) => {
  event.preventDefault();
  clearFieldErrors(event.target);
  if (checkRequired(event.target)) byCode($("#code").value.trim());
});

$("#by-file").addEventListener("submit", async (event) => {
  event.preventDefault();
  clearFieldErrors(event.target);
  if (!checkRequired(event.target)) return;
  const body = new FormData();
  body.append("file", $("#file").files[0]);
  try {
    const { data } = await call("POST", "delivery", "/v1/verify", { form: body });
    const heading = data.authentic
      ? "Tệp kết quả là bản gốc, có chữ ký số hợp lệ và không bị sửa đổi."
      : "Tệp này KHÔNG phải là kết quả hợp lệ.";
    say(
      result,
      el(
        "div",
        {},
        el("p", {}, el("strong", { id: "verdict", text: heading })),
        el("p", { text: data.message }),
        data.authentic ? el("p", { text: `Hồ sơ ${data.dossier_code}; cơ quan cấp: ${data.issued_by}; ngày cấp: ${when(data.issued_at)}.` }) : null,
      ),
      data.authentic ? "ok" : "bad",
    );
  } catch (error) {
    say(result, error.message, "bad");
  }
});

const code = param("ma");
if (code) {
  $("#code").value = code;
  byCode(code);
}
