// `npm run rerun`: runs again the scenarios that failed in the last `npm test` (or
// `--profile ci` run), each on the nodes its pass had, with the `ci` profile's
// reports. Extra arguments go to cucumber-js. Exit code: the worse pass's.
import { progress } from "../support/run/log.js";
import { rerunFailures } from "../support/suite/passes.js";

async function main(args: string[]): Promise<number> {
  const code = await rerunFailures(["--profile", "ci", ...args]);
  if (code === undefined) progress("nothing to rerun: the last run's rerun files list no failed scenario");
  return code ?? 0;
}

process.exitCode = await main(process.argv.slice(2));
