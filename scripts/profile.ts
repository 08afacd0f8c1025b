// `npm run profile`: where the last `--profile ci` run's time went
// (reports/messages.ndjson and, if a UML pass ran, reports/uml/messages.ndjson), or
// `npm run profile -- path/to/messages.ndjson ...`. Asserts nothing.
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { config } from "../support/run/config.js";
import { UML_REPORTS } from "../support/run/uml-pass.js";
import { profileOf, renderProfile } from "../support/report/profile.js";

async function main(given: string[]): Promise<void> {
  const reports = config().reportDir;
  const files = given.length > 0 ? given : [`${reports}/messages.ndjson`, `${reports}/${UML_REPORTS}/messages.ndjson`];
  for (const file of files.filter((f) => given.length > 0 || existsSync(f)))
    console.log(renderProfile(file, profileOf(await readFile(file, "utf8"))));
}

await main(process.argv.slice(2));
