// `npm run matrix`: the scenario suite on every engine line of fixtures/engines.json,
// one after the other, then a scenario x engine report (HTML, Markdown and JSON under
// reports/matrix/) with what changed between versions. Extra arguments go to
// cucumber-js, e.g. `npm run matrix -- --tags "not @smoke"`. With
// SWARMNET_MATRIX_IPTABLES=nft,legacy every engine runs on each iptables backend, a
// column each ("28.5+legacy").
import { mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { matrixIptables } from "../support/run/config.js";
import { loadEngineTable } from "../support/run/engines.js";
import { formatSeconds, progress } from "../support/run/log.js";
import { writeMatrix } from "../support/report/matrix-output.js";
import { buildMatrix } from "../support/report/matrix.js";
import { scenarioOutcomes, type EngineRun } from "../support/report/outcomes.js";
import { runCucumber } from "../support/suite/cucumber.js";

const OUT = "reports/matrix";

async function main(extra: string[]): Promise<number> {
  await mkdir(OUT, { recursive: true });
  const backends = matrixIptables();
  const columns = loadEngineTable().engines.flatMap(({ name: engine }) =>
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
    const { exitCode } = await runCucumber(
      ["--profile", "default", "--format", `message:${messages}`, "--format", `html:${join(OUT, html)}`, ...extra],
      { env: { SWARMNET_ENGINE: engine, ...env } },
    );
    const seconds = (performance.now() - start) / 1000;
    progress(`${label}: exit ${exitCode} after ${formatSeconds(seconds * 1000)}`);
    runs.push({
      engine: label,
      seconds,
      exitCode,
      scenarios: scenarioOutcomes(await readFile(messages, "utf8")),
      htmlReport: html,
    });
  }
  await writeMatrix(OUT, buildMatrix(runs));
  return runs.some((r) => r.exitCode !== 0) ? 1 : 0;
}

process.exitCode = await main(process.argv.slice(2));
