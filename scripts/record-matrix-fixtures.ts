// `npx tsx scripts/record-matrix-fixtures.ts`: records two runs of the same engine and
// code (the container-node scenarios of the tutorial, catalogue, faults, smoke and
// mixed-version features) as test/fixtures/matrix/20.10-run{1,2}.ndjson.gz, trimmed
// to what the reports read. The matrix unit tests check that two such runs differ in
// nothing notable. Extra arguments go to cucumber-js.
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { progress } from "../support/run/log.js";
import { UML_TAGS } from "../support/run/tags.js";
import { trimmedStream } from "../support/report/trim.js";
import { runCucumber } from "../support/suite/cucumber.js";

const FEATURES = [
  "features/tutorial",
  "features/catalogue",
  "features/faults",
  "features/smoke",
  "features/upgrade/mixed-versions.feature",
];

async function main(extra: string[]): Promise<number> {
  const dir = await mkdtemp(join(tmpdir(), "swarmnet-fixtures-"));
  try {
    const streams: string[] = [];
    for (const run of [1, 2]) {
      const messages = join(dir, `run${run}.ndjson`);
      progress(`recording run ${run} of 2...`);
      const { exitCode } = await runCucumber(
        [...FEATURES, "--tags", `not (${UML_TAGS})`, "--format", `message:${messages}`, ...extra],
        { env: { SWARMNET_ENGINE: "20.10" } },
      );
      if (exitCode !== 0) {
        progress(`run ${run} exited ${exitCode}: the fixtures must be two green runs; nothing written`);
        return exitCode;
      }
      streams.push(trimmedStream(await readFile(messages, "utf8")));
    }
    for (const [i, stream] of streams.entries()) {
      const target = `test/fixtures/matrix/20.10-run${i + 1}.ndjson.gz`;
      await writeFile(target, gzipSync(stream));
      progress(`wrote ${target}`);
    }
    return 0;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

process.exitCode = await main(process.argv.slice(2));
