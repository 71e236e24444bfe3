// Procedure search: the catalog's search, which ignores diacritics ("dang ky tam tru").
import { call } from "/assets/api.js";
import { $, el, param, say } from "/assets/ui.js";
import "./common.js";

const LEVELS = { 2: "Một phần", 3: "Một phần", 4: "Toàn trình" };

async function search(query) {
  const results = $("#results");
  try {
    const { data } = await call("GET", "catalog", `/v1/procedures?q=${encodeURIComponent(query)}`);
    results.replaceChildren(
      ...data.items.map((p) =>
        el(
          "li",
          {},
          el("a", { href: `thu-tuc.html?ma=${encodeURIComponent(p.code)}`, text: p.name }),
          el("span", { class: "hint", text: ` — ${p.field_name}; mã ${p.code}; trực tuyến ${LEVELS[p.level] || "—"}` }),
        ),
      ),
    );
    say($("#message"), query ? `Tìm thấy ${data.total} thủ tục cho «${query}».` : "", "info");
  } catch (error) {
    say($("#message"), error.message, "bad");
  }
}

$("#search").addEventListener("submit", (event) => {
  event.preventDefault();
  const query = $("#q").value.trim();
  history.replaceState(null, "", query ? `?q=${encodeURIComponent(query)}` : "index.html");
  search(query);
});

$("#q").value = param("q") || "";
search($("#q").value);
