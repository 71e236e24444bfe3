// Supervisors: the on-time rate of their units per procedure, the open and overdue dossiers,
// and the complaints their units must answer.
import { call } from "/assets/api.js";
import { $, el, say, when } from "/assets/ui.js";
import { requireStaff, staff } from "./common.js";

const percent = new Intl.NumberFormat("vi-VN", { style: "percent", maximumFractionDigits: 1 });

async function main() {
  if (!requireStaff()) return;
  try {
    const { data: rows } = await call("GET", "processing", "/v1/dashboard", { token: staff.token });
    $("#rows").replaceChildren(
      ...rows.map((r) =>
        el(
          "tr",
          { class: r.overdue ? "overdue" : null },
          el("td", { text: r.unit_code }),
          el("td", { text: r.procedure_code }),
          el("td", { text: r.decided }),
          el("td", { text: r.on_time }),
          el("td", { text: r.on_time_rate === null ? "—" : percent.format(r.on_time_rate) }),
          el("td", { text: r.open }),
          el("td", { text: r.overdue }),
        ),
      ),
    );
    const { data: complaints } = await call("GET", "processing", "/v1/complaints", { token: staff.token });
    $("#complaints").replaceChildren(
      ...complaints.map((c) => el("li", { text: `Hồ sơ ${c.dossier_code}: nhận ${when(c.filed_at)}, phải trả lời trước ${when(c.respond_by)}` })),
    );
    if (!complaints.length) $("#complaints").append(el("li", { text: "Không có khiếu nại chờ trả lời." }));
    $("#board").hidden = false;
  } catch (error) {
    say($("#message"), error.status === 403 ? "Trang này dành cho lãnh đạo đơn vị (giám sát)." : error.message, "bad");
  }
}

main();
