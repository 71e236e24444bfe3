// Login: password, then the OTP; the tokens are kept for this tab only.
import { call } from "/assets/api.js";
import { $, param } from "/assets/ui.js";
import { citizen } from "./common.js";
import { twoSteps } from "./otp.js";

twoSteps({
  first: $("#login"),
  send: async (values) =>
    (await call("POST", "identity", "/v1/sessions", { json: { ...values, account_type: "citizen" } })).data,
  verify: async (pending, code) =>
    (await call("POST", "identity", `/v1/sessions/${pending.challenge_id}/verify`, { json: { code } })).data,
  done: (tokens) => {
    citizen.set(tokens);
    const next = param("next");
    // Only a page of this portal, never another site.
    window.location.assign(next && /^[a-z-]+\.html(\?.*)?$/.test(next) ? next : "ho-so.html");
  },
});
