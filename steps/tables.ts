// Data tables as steps read them: headings checked, with errors that name the
// row and the column, so a malformed table says what is wrong with it.
import type { DataTable } from "@cucumber/cucumber";
import { longestLineFor } from "../support/run/engines.js";

export type Row = Record<string, string>;

/** Rows keyed by lower-case heading; `required` headings must be present, others optional. */
export function rowsOf(table: DataTable, required: string[], optional: string[] = []): Row[] {
  const [header, ...body] = table.raw();
  if (!header) throw new Error(`The data table is empty; it needs a heading row with: ${required.join(" | ")}.`);
  const headings = header.map((h) => h.trim().toLowerCase());
  const allowed = [...required, ...optional];
  const unknown = headings.filter((h) => !allowed.includes(h));
  if (unknown.length > 0)
    throw new Error(
      `Unknown column(s) ${unknown.map((u) => `"${u}"`).join(", ")} in the data table; known columns: ${allowed.join(", ")}.`,
    );
  const missing = required.filter((r) => !headings.includes(r));
  if (missing.length > 0)
    throw new Error(`The data table lacks column(s): ${missing.join(", ")} (it has: ${headings.join(", ")}).`);
  if (body.length === 0) throw new Error("The data table has a heading row but no rows under it.");
  return body.map((cells) => Object.fromEntries(headings.map((h, i) => [h, cells[i].trim()])));
}

/** A yes/no cell; anything else is an error naming the row (counted from 1, heading excluded). */
export function yesNo(row: Row, column: string, index: number): boolean {
  const value = row[column].toLowerCase();
  if (["yes", "true", "ok"].includes(value)) return true;
  if (["no", "false", "blocked"].includes(value)) return false;
  throw new Error(`Row ${index + 1} of the data table: "${row[column]}" in column "${column}" must be yes or no.`);
}

/** A two-column | field | value | table (no heading row) as pairs. */
export function fieldValuePairs(table: DataTable): [string, string][] {
  return table.raw().map((cells, i) => {
    if (cells.length !== 2)
      throw new Error(`Row ${i + 1} of the data table has ${cells.length} cells; write | field | value |.`);
    return [cells[0].trim(), cells[1].trim()];
  });
}

/**
 * The row of a `| engine | ... |` table for the engine `version` ("20.10.24+dfsg1"
 * matches the row "20.10"). A missing row is an error: the scenario must say what
 * every engine it runs on does.
 */
export function rowForEngine(rows: Row[], version: string, node: string): Row {
  // The longest line that fits: "20.10.5+dfsg1" takes a 20.10.5 row over a 20.10 one.
  const row = longestLineFor(rows, version, (r) => r.engine);
  if (!row) {
    throw new Error(
      `No row for engine ${version} (what ${node} runs) in the table; it has: ${rows.map((r) => r.engine).join(", ")}. Add a row saying what this engine does.`,
    );
  }
  return row;
}
