// `npm run matrix`: the scenario suite on every engine line of fixtures/engines.json,
// one after the other, each on the nodes its scenarios need (a container pass and a
// UML pass, as `npm test` runs them), then a scenario x engine report (HTML, Markdown and JSON under
// reports/matrix/) with what changed between versions. Extra arguments go to
// cucumber-js, e.g. `npm run matrix -- --tags "not @smoke"`. With
// SWARMNET_MATRIX_IPTABLES=nft,legacy every engine runs on each iptables backend, a
// column each ("28.5+legacy").
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { matrixIptables } from "../support/run/config.js";
import { loadEngineTable } from "../support/run/engines.js";
import { formatSeconds, progress } from "../support/run/log.js";
import { writeMatrix } from "../support/report/matrix-output.js";
import { buildMatrix } from "../support/report/matrix.js";
import { scenarioOutcomes, type EngineRun } from "../support/report/outcomes.js";
import { ndjsonOf, readRun, runStreams, writeHtml } from "../support/report/merge-output.js";
import { runPasses } from "../support/suite/passes.js";

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
    const exitCode = await runPasses(["--profile", "default", "--format", `message:${messages}`, ...extra], {
      SWARMNET_ENGINE: engine,
      ...env,
    });
    const seconds = (performance.now() - start) / 1000;
    progress(`${label}: exit ${exitCode} after ${formatSeconds(seconds * 1000)}`);
    // The two passes' streams, one run (the UML pass's is in uml/ beside it).
    const run = await readRun(runStreams(messages));
    await writeHtml(run, join(OUT, html));
    runs.push({ engine: label, seconds, exitCode, scenarios: scenarioOutcomes(ndjsonOf(run)), htmlReport: html });
  }
  await writeMatrix(OUT, buildMatrix(runs));
  return runs.some((r) => r.exitCode !== 0) ? 1 : 0;
}

process.exitCode = await main(process.argv.slice(2));
