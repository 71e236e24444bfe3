// Where the payment gateway sends the citizen back (PAYMENT_RETURN_URL): the signed parameters
// are passed to payment, which checks the signature and says what it knows of the fee now.
// The gateway's server-to-server notification (IPN) is what records the payment; this page
// only reports it, asking again for a while until it has arrived.
import { call } from "/assets/api.js";
import { $, el, say } from "/assets/ui.js";
import "./common.js";

async function main() {
  const query = window.location.search;
  for (let attempt = 0; attempt < 10; attempt++) {
    try {
      const { data } = await call("GET", "payment", `/v1/gateway/vnpay/return${query}`);
      const paid = data.status === "paid";
      const failed = data.gateway_result === "failed";
      say(
        $("#result"),
        el("div", {}, el("p", {}, el("strong", { id: "paid", text: data.message })), el("p", { text: `Hồ sơ ${data.dossier_code}` })),
        paid ? "ok" : failed ? "bad" : "info",
      );
      if (data.dossier_code) {
        $("#dossier-link").href = `ho-so.html?ma=${encodeURIComponent(data.dossier_code)}`;
        $("#next").hidden = false;
      }
      if (paid || failed) return;
    } catch (error) {
      say($("#result"), error.message, "bad");
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

main();
