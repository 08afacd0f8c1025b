// `npm run matrix:compare -- <label>=<messages.ndjson or report dir> ...`: the matrix
// report from message streams already written (by `npm run matrix`, `npm test`, or any
// cucumber run with --format message:FILE), e.g. the same engine twice to see that two
// runs differ in nothing:  npm run matrix:compare -- run1=a.ndjson run2=b.ndjson
// A report dir (`npm test`'s reports/, one CI job's) counts with its UML pass.
// --common compares only the scenarios every stream has.
import { writeMatrix } from "../support/report/matrix-output.js";
import { buildMatrix, notableChanges } from "../support/report/matrix.js";
import { ndjsonOf, readRun, runStreams } from "../support/report/merge-output.js";
import { scenarioOutcomes, type EngineRun } from "../support/report/outcomes.js";

const OUT = "reports/matrix-compare";

async function main(argv: string[]): Promise<number> {
  const onlyCommon = argv.includes("--common");
  const args = argv.filter((a) => a !== "--common");
  if (args.length < 2 || args.some((a) => !a.includes("="))) {
    console.error(
      "usage: npm run matrix:compare -- [--common] <label>=<messages.ndjson|report dir> <label>=<...> [...]",
    );
    return 2;
  }
  const runs: EngineRun[] = await Promise.all(
    args.map(async (arg) => {
      const [engine, where] = [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)];
      const files = runStreams(where);
      if (files.length === 0) throw new Error(`${engine}: no message stream at ${where}`);
      return { engine, seconds: 0, exitCode: 0, scenarios: scenarioOutcomes(ndjsonOf(await readRun(files))) };
    }),
  );
  const matrix = await writeMatrix(OUT, buildMatrix(runs, { onlyCommon }));
  const notable = notableChanges(matrix);
  console.log(
    `${matrix.rows.length} scenarios, ${notable.length} notable change(s), ${matrix.changes.length - notable.length} unflagged timing difference(s)`,
  );
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
