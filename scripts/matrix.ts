// `npm run matrix`: the scenario suite on every engine line of fixtures/engines.json,
// one after the other, each on the nodes its scenarios need (a container pass and a
// UML pass, as `npm test` runs them), then a scenario x engine report (HTML, Markdown and JSON under
// reports/matrix/) with what changed between versions. Extra arguments go to
// cucumber-js, e.g. `npm run matrix -- --tags "not @smoke"`. With
// SWARMNET_MATRIX_IPTABLES=nft,legacy every engine runs on each iptables backend, a
// column each ("28.5+legacy"). With SWARMNET_MATRIX_KERNELS=6.1,6.12 the kernel
// scenarios (@ipvs, @esp, @machine) run on UML nodes of each kernel line, a column
// each ("26.1+k6.12"): engine x kernel.
import { mkdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { matrixIptables, matrixKernels } from "../support/run/config.js";
import { UML_TAGS } from "../support/run/tags.js";
import { umlPassEnv } from "../support/run/uml-pass.js";
import { runCucumber } from "../support/suite/cucumber.js";
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
  const kernels = matrixKernels();
  const engineColumns = loadEngineTable().engines.flatMap(({ name: engine }) =>
    backends.length === 0
      ? [{ label: engine, env: { SWARMNET_ENGINE: engine } }]
      : backends.map((b) => ({ label: `${engine}+${b}`, env: { SWARMNET_ENGINE: engine, SWARMNET_IPTABLES: b } })),
  );
  const columns =
    kernels.length === 0
      ? engineColumns.map((c) => ({ ...c, onKernel: false }))
      : engineColumns.flatMap((c) =>
          kernels.map((k) => ({
            label: `${c.label}+k${k}`,
            env: { ...c.env, SWARMNET_UML_KERNEL: k },
            onKernel: true,
          })),
        );
  const runs: EngineRun[] = [];
  for (const { label, env, onKernel } of columns) {
    const messages = join(OUT, `${label}.ndjson`);
    const html = `${label}.html`;
    // An earlier matrix's UML pass stream must not count with this run.
    await Promise.all(runStreams(messages).map((f) => rm(f, { force: true })));
    progress(`${label}: running ${onKernel ? "the kernel scenarios on UML nodes" : "the suite"}...`);
    const start = performance.now();
    const args = ["--profile", "default", "--format", `message:${messages}`, ...extra];
    const exitCode = onKernel
      ? (
          await runCucumber([...args, "--tags", UML_TAGS], {
            env: { ...umlPassEnv(), ...env },
            prefix: `[${label}] `,
          })
        ).exitCode
      : await runPasses(args, env);
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
