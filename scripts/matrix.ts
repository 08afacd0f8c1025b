// `npm run matrix`: the scenario suite on every engine line of fixtures/engines.json,
// one after the other, then a scenario x engine table (Markdown and JSON under
// reports/matrix/) with what changed between versions. Extra arguments go to
// cucumber-js, e.g. `npm run matrix -- --tags "not @smoke"`.
import { mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { execa } from "execa";
import { loadEngineTable } from "../support/run/engines.js";
import { formatSeconds, progress } from "../support/run/log.js";
import { writeMatrix } from "./matrix-output.js";
import { buildMatrix, scenarioOutcomes, type EngineRun } from "./matrix-report.js";

const OUT = "reports/matrix";
await mkdir(OUT, { recursive: true });
const engines = loadEngineTable().engines.map((e) => e.name);
const runs: EngineRun[] = [];
for (const engine of engines) {
  const messages = join(OUT, `${engine}.ndjson`);
  const html = `${engine}.html`;
  progress(`engine ${engine}: running the suite...`);
  const start = performance.now();
  const result = await execa(
    "npx",
    [
      "cucumber-js",
      "--profile",
      "default",
      "--format",
      `message:${messages}`,
      "--format",
      `html:${join(OUT, html)}`,
      ...process.argv.slice(2),
    ],
    {
      env: { SWARMNET_ENGINE: engine },
      stdout: "inherit",
      stderr: "inherit",
      reject: false,
    },
  );
  const seconds = (performance.now() - start) / 1000;
  progress(`engine ${engine}: exit ${result.exitCode} after ${formatSeconds(seconds * 1000)}`);
  runs.push({
    engine,
    seconds,
    exitCode: result.exitCode ?? -1,
    scenarios: scenarioOutcomes(await readFile(messages, "utf8")),
    htmlReport: html,
  });
}
await writeMatrix(OUT, buildMatrix(runs));
process.exitCode = runs.some((r) => r.exitCode !== 0) ? 1 : 0;
