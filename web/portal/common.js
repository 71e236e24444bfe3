// What every portal page shares: the account link in the menu and the way to ask for a login.
import { session } from "/assets/api.js";
import { el } from "/assets/ui.js";

export const citizen = session("citizen");

export function accountLink() {
  const slot = document.getElementById("account");
  if (!slot) return;
  if (citizen.token) {
    const out = el("a", { href: "index.html", text: "Đăng xuất" });
    out.addEventListener("click", () => citizen.clear());
    slot.replaceChildren(out);
  } else {
    slot.replaceChildren(el("a", { href: "dang-nhap.html", text: "Đăng nhập" }));
  }
}

// The login page, coming back here afterwards.
export function loginUrl() {
  const here = window.location.pathname.split("/").pop() + window.location.search;
  return `dang-nhap.html?next=${encodeURIComponent(here)}`;
}

// A session that has ended (401): forgotten here too, then the login page, coming back here.
export function loggedOutBy(error) {
  if (error.status !== 401) return false;
  citizen.clear();
  window.location.assign(loginUrl());
  return true;
}

export function requireLogin() {
  if (!citizen.token) {
    window.location.assign(loginUrl());
    return false;
  }
  return true;
}

accountLink();
