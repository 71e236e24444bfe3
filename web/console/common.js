// What the console's pages share: the staff session, the status names, the account link.
import { session } from "/assets/api.js";
import { el } from "/assets/ui.js";

export const staff = session("staff");

// As processing names them to citizens (docs/state-machine.md).
export const STATUS = {
  received: "Đã tiếp nhận, chờ kiểm tra",
  accepted: "Đang giải quyết",
  supplement_requested: "Chờ công dân bổ sung hồ sơ",
  approved: "Đã phê duyệt, đang trả kết quả",
  refused: "Không giải quyết",
  rejected: "Từ chối tiếp nhận",
  result_issued: "Đã có kết quả",
  withdrawn: "Công dân đã rút hồ sơ",
};

export function requireStaff() {
  if (staff.token) return true;
  const here = window.location.pathname.split("/").pop() + window.location.search;
  window.location.assign(`index.html?next=${encodeURIComponent(here)}`);
  return false;
}

const slot = document.getElementById("account");
if (slot && staff.token) {
  const out = el("a", { href: "index.html", text: "Đăng xuất" });
  out.addEventListener("click", () => staff.clear());
  slot.replaceChildren(out);
}
