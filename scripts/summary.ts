// Prints the scenario counts of the last `--profile ci` run as one plain closing line,
// "scenarios: N passed, N failed, N skipped", from reports/messages.ndjson and, when
// a UML pass ran, reports/uml/messages.ndjson. Each failed scenario's first failing
// step and the head of its error come just before that line: CI logs are often read
// from the end, and cucumber prints the error above pages of attached diagnostics.
import { UML_REPORTS } from "../support/run/uml-pass.js";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { config } from "../support/run/config.js";
import { scenarioOutcomes } from "./matrix-report.js";

const reports = config().reportDir;
const files = [`${reports}/messages.ndjson`, `${reports}/${UML_REPORTS}/messages.ndjson`].filter((f) => existsSync(f));
const outcomes = (await Promise.all(files.map(async (f) => scenarioOutcomes(await readFile(f, "utf8"))))).flat();
/** Lines of a failed step's error shown (the rest is in the reports). */
const MESSAGE_LINES = 12;
for (const o of outcomes.filter((o) => o.failure)) {
  const message = (o.failure?.message ?? "").split("\n").slice(0, MESSAGE_LINES);
  console.log([`FAILED ${o.scenario}`, `  at: ${o.failure?.step}`, ...message.map((l) => `  | ${l}`)].join("\n"));
}
// Why scenarios were skipped, one line a reason: a green line must not hide what never ran.
const skipped = outcomes.filter((o) => o.status === "skipped");
const reasons = new Map<string, number>();
for (const o of skipped) {
  const reason = o.observations.find((x) => x.text.startsWith("SKIPPED: "))?.text.slice(9) ?? "(no reason given)";
  reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
}
for (const [reason, n] of reasons) console.log(`skipped ${n}: ${reason}`);
const count = (status: string) => outcomes.filter((o) => o.status === status).length;
const failed = outcomes.length - count("passed") - count("skipped");
const uml =
  files.length > 1 ? ` (${scenarioOutcomes(await readFile(files[1], "utf8")).length} of them on UML nodes)` : "";
console.log(`scenarios: ${count("passed")} passed, ${failed} failed, ${count("skipped")} skipped${uml}`);
