// `npm run report:merge -- <report dir> ...`: merges the message streams of several
// runs of one selection (shards: `npm test -- --shard i/n`, each shard's reports
// gathered into a directory of its own) into one run's reports in <report dir>/merged:
// messages.ndjson, junit.xml, cucumber.html, summary.txt. A directory's UML pass
// (its uml/ folder) is merged too. Exit 1 when the merged run failed or ran nothing.
import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { parseEnvelope } from "@cucumber/messages";
import { mergeMessageStreams } from "../support/report/merge.js";
import { writeMergedReports } from "../support/report/merge-output.js";
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
  const files = dirs.flatMap((dir) =>
    [join(dir, "messages.ndjson"), join(dir, UML_REPORTS, "messages.ndjson")].filter((f) => existsSync(f)),
  );
  const missing = dirs.filter((dir) => !files.some((f) => f.startsWith(join(dir, "messages.ndjson"))));
  if (missing.length > 0) {
    process.stderr.write(`no messages.ndjson in ${missing.join(", ")}: a shard's reports are missing\n`);
    return 2;
  }
  const streams = await Promise.all(
    files.map(async (f) =>
      (await readFile(f, "utf8")).split("\n").flatMap((l) => (l.trim() ? [parseEnvelope(l)] : [])),
    ),
  );
  const merged = mergeMessageStreams(streams, files);
  const out = join(config().reportDir, "merged");
  await writeMergedReports(merged, out);
  const outcomes = scenarioOutcomes(merged.map((e) => JSON.stringify(e)).join("\n"));
  const umlCount = (
    await Promise.all(
      files.filter((f) => f.includes(`/${UML_REPORTS}/`)).map(async (f) => scenarioOutcomes(await readFile(f, "utf8"))),
    )
  ).flat().length;
  const summary = renderSummary(outcomes, umlCount);
  await writeFile(join(out, "summary.txt"), `${summary}\n`);
  progress(`merged ${files.length} message streams (${files.join(", ")}) into ${out}/`);
  console.log(summary);
  const bad = outcomes.filter((o) => o.status === "failed" || o.status === "undefined" || o.status === "missing");
  return outcomes.length === 0 || bad.length > 0 ? 1 : 0;
}

process.exitCode = await main(process.argv.slice(2));
