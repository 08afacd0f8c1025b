// A reachability truth table, printed with expected and observed side by side.

export interface TruthRow {
  from: string;
  to: string;
  expected: boolean;
  observed: boolean;
}

export function formatTruthTable(rows: TruthRow[]): string {
  const cells = [
    ["from", "to", "expected", "observed", ""],
    ...rows.map((r) => [r.from, r.to, yn(r.expected), yn(r.observed), r.expected === r.observed ? "" : "<-- differs"]),
  ];
  const widths = cells[0].map((_, c) => Math.max(...cells.map((row) => row[c].length)));
  return cells.map((row) => `| ${row.map((cell, c) => cell.padEnd(widths[c])).join(" | ")} |`).join("\n");
}

function yn(value: boolean): string {
  return value ? "yes" : "no";
}

/**
 * Sources that have only "no" rows. A probe that fails for any reason reads as "no",
 * so a source's "no" counts only beside a "yes" from the same source in the same table.
 */
export function sourcesWithoutPositive(rows: readonly { from: string; expected: boolean }[]): string[] {
  const sources = [...new Set(rows.map((r) => r.from))];
  return sources.filter((from) => !rows.some((r) => r.from === from && r.expected));
}
