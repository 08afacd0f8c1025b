// Prints the closing lines of the last `--profile ci` run: each failed scenario's first
// failing step and the head of its error, why scenarios were skipped, and one plain
// count line (support/report/summary.ts).
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { config } from "../support/run/config.js";
import { UML_REPORTS } from "../support/run/uml-pass.js";
import { scenarioOutcomes } from "../support/report/outcomes.js";
import { renderSummary } from "../support/report/summary.js";

async function main(): Promise<void> {
  const reports = config().reportDir;
  const read = async (file: string) => (existsSync(file) ? scenarioOutcomes(await readFile(file, "utf8")) : []);
  const containerPass = await read(`${reports}/messages.ndjson`);
  const umlPass = await read(`${reports}/${UML_REPORTS}/messages.ndjson`);
  console.log(renderSummary([...containerPass, ...umlPass], umlPass.length));
}

await main();
