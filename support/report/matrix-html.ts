// The matrix as one self-contained HTML page: a scenario x engine grid, coloured by
// status, each cell linking to that engine's cucumber report, with what changed
// expanded under the scenario it changed in.
import { notableChanges, type Change, type Matrix } from "./matrix.js";
import type { Status } from "./outcomes.js";

const escape = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c);

const COLOURS: Record<Status, string> = {
  passed: "#c8efc8",
  failed: "#f6b8b8",
  skipped: "#eee6b0",
  undefined: "#f0d0a0",
  missing: "#dddddd",
};

function changeHtml(change: Change, engines: string[]): string {
  if (change.kind === "status") {
    return `<li><b>status</b>: ${engines.map((e) => `${escape(e)} ${change.values[e]}`).join(", ")}</li>`;
  }
  if (change.kind === "timing") {
    const figures = engines.map((e) => `${escape(e)}: ${change.figures[e].map((s) => `${s} s`).join(", ") || "—"}`);
    return `<li><b>timing</b> (slower past the threshold), <code>${escape(change.step)}</code>: ${figures.join("; ")}</li>`;
  }
  const cells = engines
    .map((e) => {
      const d = change.diff[e];
      const lines = d
        ? [
            ...d.removed.map((l) => `<span class="del">- ${escape(l)}</span>`),
            ...d.added.map((l) => `<span class="add">+ ${escape(l)}</span>`),
          ]
        : [escape(change.values[e])];
      return `<td><div class="engine">${escape(e)}</div><pre>${lines.join("\n")}</pre></td>`;
    })
    .join("");
  return `<li><b>behaviour</b>, <code>${escape(change.step)}</code><table class="diff"><tr>${cells}</tr></table></li>`;
}

/** Whether a change concerns `engine` (the first engine is the baseline). */
function changedOn(change: Change, engine: string): boolean {
  if (change.kind === "behaviour") return engine in change.diff;
  if (change.kind === "timing") return change.figures[engine]?.join() !== Object.values(change.figures)[0]?.join();
  return true;
}

export function renderMatrixHtml(matrix: Matrix, title = "swarmnet engine matrix"): string {
  const engines = matrix.engines.map((e) => e.engine);
  const report = new Map(matrix.engines.map((e) => [e.engine, e.htmlReport]));
  const changes = notableChanges(matrix);
  const rows = matrix.rows
    .map((row) => {
      const mine = changes.filter((c) => c.scenario === row.scenario);
      const cells = engines
        .map((e) => {
          const status = row.status[e];
          const link = report.get(e);
          const label = `${status}${e !== engines[0] && mine.some((c) => changedOn(c, e)) ? " Δ" : ""}`;
          const body = link ? `<a href="${escape(link)}">${label}</a>` : label;
          return `<td class="cell" style="background:${COLOURS[status]}">${body}</td>`;
        })
        .join("");
      const details =
        mine.length === 0
          ? ""
          : `<tr class="changes"><td colspan="${engines.length + 1}"><details open><summary>${mine.length} change(s)</summary><ul>${mine.map((c) => changeHtml(c, engines)).join("")}</ul></details></td></tr>`;
      return `<tr><th class="scenario">${escape(row.scenario)}</th>${cells}</tr>${details}`;
    })
    .join("\n");
  const header = matrix.engines
    .map(
      (e) =>
        `<th>${escape(e.engine)}<div class="small">${escape(e.reportedVersions.join(", "))}<br>${e.seconds} s, exit ${e.exitCode}</div></th>`,
    )
    .join("");
  const counts = engines
    .map((e) => {
      const passed = matrix.rows.filter((r) => r.status[e] === "passed").length;
      return `${escape(e)}: ${passed}/${matrix.rows.length} passed`;
    })
    .join(" · ");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title>
<style>
body { font: 14px system-ui, sans-serif; margin: 1.5em; color: #222; }
table.grid { border-collapse: collapse; }
table.grid th, table.grid td { border: 1px solid #bbb; padding: 4px 8px; vertical-align: top; }
th.scenario { text-align: left; font-weight: normal; max-width: 48em; }
td.cell { text-align: center; white-space: nowrap; }
td.cell a { color: inherit; }
.small { font-size: 11px; font-weight: normal; color: #555; }
tr.changes td { background: #fafafa; }
table.diff td { border: none; padding: 2px 12px 2px 0; }
pre { margin: 0; white-space: pre-wrap; font-size: 12px; }
.del { color: #a00; } .add { color: #070; } .engine { font-weight: bold; }
</style></head><body>
<h1>${escape(title)}</h1>
<p>${counts}. ${changes.length} notable change(s) (status, behaviour, timings past the threshold), compared with ${escape(engines[0] ?? "")}.</p>
<table class="grid"><tr><th>scenario</th>${header}</tr>
${rows}
</table></body></html>
`;
}
