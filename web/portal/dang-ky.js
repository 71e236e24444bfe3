// Registration: the declared data are checked against the population registry, then the OTP.
import { call } from "/assets/api.js";
import { $, el, say } from "/assets/ui.js";
import "./common.js";
import { twoSteps } from "./otp.js";

twoSteps({
  first: $("#register"),
  send: async (values) => (await call("POST", "identity", "/v1/registrations", { json: values })).data,
  verify: async (pending, code) =>
    (await call("POST", "identity", `/v1/registrations/${pending.registration_id}/verify`, { json: { code } })).data,
  done: () => {
    $("#verify").hidden = true;
    say(
      $("#message"),
      el("span", {}, "Tài khoản đã được tạo. ", el("a", { href: "dang-nhap.html", text: "Đăng nhập để nộp hồ sơ" })),
      "ok",
    );
  },
});
