// Prints the scenario counts of the last `--profile ci` run as one plain closing line,
// "scenarios: N passed, N failed, N skipped", read from reports/messages.ndjson.
import { readFile } from "node:fs/promises";
import { scenarioOutcomes } from "./matrix-report.js";

const outcomes = scenarioOutcomes(await readFile("reports/messages.ndjson", "utf8"));
const count = (status: string) => outcomes.filter((o) => o.status === status).length;
const failed = outcomes.length - count("passed") - count("skipped");
console.log(`scenarios: ${count("passed")} passed, ${failed} failed, ${count("skipped")} skipped`);
