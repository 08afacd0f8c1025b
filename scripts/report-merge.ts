// `npm run report:merge -- <report dir> ...`: merges the message streams of several
// runs of one selection (shards: `npm test -- --shard i/n`, each shard's reports
// gathered into a directory of its own) into one run's reports in <report dir>/merged:
// messages.ndjson, junit.xml, cucumber.html, summary.txt. A directory's UML pass
// (its uml/ folder) is merged too. Exit 1 when the merged run failed or ran nothing.
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { ndjsonOf, readRun, runStreams, writeMergedReports } from "../support/report/merge-output.js";
import { scenarioOutcomes } from "../support/report/outcomes.js";
import { renderSummary } from "../support/report/summary.js";
import { config } from "../support/run/config.js";
import { progress } from "../support/run/log.js";
import { UML_REPORTS } from "../support/run/uml-pass.js";

async function main(dirs: string[]): Promise<number> {
  if (dirs.length === 0) {
    process.stderr.write(
      "usage: npm run report:merge -- <report dir> [<report dir> ...]  (each with messages.ndjson)\n",
    );
    return 2;
  }
  const missing = dirs.filter((dir) => runStreams(dir).length === 0);
  if (missing.length > 0) {
    process.stderr.write(`no messages.ndjson in ${missing.join(", ")}: a shard's reports are missing\n`);
    return 2;
  }
  const files = dirs.flatMap(runStreams);
  const merged = await readRun(files);
  const out = join(config().reportDir, "merged");
  await writeMergedReports(merged, out);
  const outcomes = scenarioOutcomes(ndjsonOf(merged));
  const umlFiles = files.filter((f) => f.includes(`/${UML_REPORTS}/`));
  const onUml = umlFiles.length === 0 ? 0 : scenarioOutcomes(ndjsonOf(await readRun(umlFiles))).length;
  const summary = renderSummary(outcomes, onUml);
  await writeFile(join(out, "summary.txt"), `${summary}\n`);
  progress(`merged ${files.length} message streams (${files.join(", ")}) into ${out}/`);
  console.log(summary);
  const bad = outcomes.filter((o) => o.status === "failed" || o.status === "undefined" || o.status === "missing");
  return outcomes.length === 0 || bad.length > 0 ? 1 : 0;
}

process.exitCode = await main(process.argv.slice(2));
