// The two steps shared by registration and login: a first form that sends an OTP by SMS, then
// the OTP form. Each field's error from the service is shown next to the field.
import { $, checkRequired, clearFieldErrors, say, showFieldError } from "/assets/ui.js";

export function showProblems(form, error) {
  const fields = (error.body.details && error.body.details.fields) || [];
  let placed = false;
  for (const problem of fields) {
    const input = form.querySelector(`[name="${CSS.escape(problem.field)}"]`);
    if (input) {
      showFieldError(input, problem.message || problem.problem);
      placed = true;
    }
  }
  const firstInvalid = form.querySelector("[aria-invalid='true']");
  if (firstInvalid) firstInvalid.focus();
  return placed;
}

export function twoSteps({ first, send, verify, done }) {
  const message = $("#message");
  let pending = null;
  first.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearFieldErrors(first);
    say(message, "");
    if (!checkRequired(first)) return;
    const values = Object.fromEntries(new FormData(first));
    try {
      pending = await send(values);
      first.hidden = true;
      const otp = $("#verify");
      otp.hidden = false;
      $("#sent").textContent = `Mã xác thực đã được gửi đến số điện thoại ${pending.phone_hint}.`;
      $("#code").focus();
    } catch (error) {
      showProblems(first, error);
      say(message, error.message, "bad");
    }
  });
  $("#verify").addEventListener("submit", async (event) => {
    event.preventDefault();
    const otp = $("#verify");
    clearFieldErrors(otp);
    if (!checkRequired(otp)) return;
    try {
      const result = await verify(pending, $("#code").value.trim());
      done(result);
    } catch (error) {
      showFieldError($("#code"), error.message);
      $("#code").focus();
    }
  });
}
