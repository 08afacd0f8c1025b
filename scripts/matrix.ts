// `npm run matrix`: the scenario suite on every engine line of fixtures/engines.json,
// one after the other, then a scenario x engine table (Markdown and JSON under
// reports/matrix/) with what changed between versions. Extra arguments go to
// cucumber-js, e.g. `npm run matrix -- --tags "not @smoke"`. With
// SWARMNET_MATRIX_IPTABLES=nft,legacy every engine runs on each iptables backend,
// a column each ("28.5+legacy").
import { mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { execa } from "execa";
import { matrixIptables } from "../support/run/config.js";
import { loadEngineTable } from "../support/run/engines.js";
import { formatSeconds, progress } from "../support/run/log.js";
import { writeMatrix } from "./matrix-output.js";
import { buildMatrix, scenarioOutcomes, type EngineRun } from "./matrix-report.js";

const OUT = "reports/matrix";
await mkdir(OUT, { recursive: true });
const engines = loadEngineTable().engines.map((e) => e.name);
const backends = matrixIptables();
const columns = engines.flatMap((engine) =>
  backends.length === 0
    ? [{ engine, label: engine, env: {} }]
    : backends.map((b) => ({ engine, label: `${engine}+${b}`, env: { SWARMNET_IPTABLES: b } })),
);
const runs: EngineRun[] = [];
for (const { engine, label, env } of columns) {
  const messages = join(OUT, `${label}.ndjson`);
  const html = `${label}.html`;
  progress(`${label}: running the suite...`);
  const start = performance.now();
  const result = await execa(
    "cucumber-js",
    [
      "--profile",
      "default",
      "--format",
      `message:${messages}`,
      "--format",
      `html:${join(OUT, html)}`,
      ...process.argv.slice(2),
    ],
    {
      // cucumber-js as the child, not npx, which does not pass SIGTERM on (see suite.ts).
      preferLocal: true,
      env: { SWARMNET_ENGINE: engine, ...env },
      stdout: "inherit",
      stderr: "inherit",
      reject: false,
    },
  );
  const seconds = (performance.now() - start) / 1000;
  progress(`${label}: exit ${result.exitCode} after ${formatSeconds(seconds * 1000)}`);
  runs.push({
    engine: label,
    seconds,
    exitCode: result.exitCode ?? -1,
    scenarios: scenarioOutcomes(await readFile(messages, "utf8")),
    htmlReport: html,
  });
}
await writeMatrix(OUT, buildMatrix(runs));
process.exitCode = runs.some((r) => r.exitCode !== 0) ? 1 : 0;
