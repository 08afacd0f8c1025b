// Prints the closing lines of the last `--profile ci` run: each failed scenario's first
// failing step and the head of its error, why scenarios were skipped, which were
// flaky, and one plain count line (support/report/summary.ts). Exits 1 when the time
// budget left scenarios not run, and on a flaky scenario unless SWARMNET_ALLOW_FLAKY=true
// (the default outside CI).
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { NOT_RUN } from "../support/run/budget.js";
import { config } from "../support/run/config.js";
import { UML_REPORTS } from "../support/run/uml-pass.js";
import { notRunWithTag, scenarioOutcomes } from "../support/report/outcomes.js";
import { QUARANTINED_TAG } from "../support/run/tags.js";
import { flakyOf, renderSummary } from "../support/report/summary.js";

async function main(): Promise<number> {
  const reports = config().reportDir;
  // Each pass's stream, read once: [container pass, UML pass], absent ones empty.
  const [container, uml] = await Promise.all(
    [`${reports}/messages.ndjson`, `${reports}/${UML_REPORTS}/messages.ndjson`].map(async (f) =>
      existsSync(f) ? await readFile(f, "utf8") : undefined,
    ),
  );
  const present = [container, uml].filter((text): text is string => text !== undefined);
  const umlPass = uml === undefined ? [] : scenarioOutcomes(uml);
  const outcomes = [...(container === undefined ? [] : scenarioOutcomes(container)), ...umlPass];
  // Every stream lists every scenario; one quarantined scenario is left out of both passes.
  const notRunIn = present.map((text) => new Set(notRunWithTag(text, QUARANTINED_TAG)));
  const quarantined = notRunIn.length === 0 ? [] : [...notRunIn[0]].filter((s) => notRunIn.every((set) => set.has(s)));
  for (const s of quarantined) console.log(`QUARANTINED, not run: ${s} (docs/known-issues.md)`);
  console.log(renderSummary(outcomes, umlPass.length));
  const notRun = outcomes.filter((o) => o.skipReason?.startsWith(NOT_RUN)).length;
  if (notRun > 0) {
    console.log(`${notRun} scenario(s) not run: the run's time budget (SWARMNET_BUDGET) was spent; the run fails`);
    return 1;
  }
  const flaky = flakyOf(outcomes).length;
  if (flaky > 0 && !config().allowFlaky) {
    console.log(`${flaky} scenario(s) passed only on a retry: the run fails (SWARMNET_ALLOW_FLAKY=true allows it)`);
    return 1;
  }
  return 0;
}

process.exitCode = await main();
