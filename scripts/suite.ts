// `npm start` and `npm test`: the scenario suite, on the nodes each scenario needs
// (support/suite/passes.ts). Arguments are cucumber-js's. Exit code: the worse pass's.
import { rm } from "node:fs/promises";
import { config } from "../support/run/config.js";
import { progress } from "../support/run/log.js";
import { UML_REPORTS, reportDirs } from "../support/run/uml-pass.js";
import { forgetKept } from "../support/cluster/kept-cluster.js";
import { scenarioCount } from "../support/suite/cucumber.js";
import { runPasses } from "../support/suite/passes.js";
import { leaveOutQuarantined } from "../support/suite/quarantine.js";
import { recordedSeconds, shardArgs, takeShard } from "../support/suite/shards.js";
import { QUARANTINED_TAG } from "../support/run/tags.js";

async function main(given: string[]): Promise<number> {
  // The budget counts from now, in every pass (support/run/budget.ts).
  const { budgetMs } = config();
  if (budgetMs !== undefined) process.env.SWARMNET_BUDGET_ENDS = String(Date.now() + budgetMs);
  const { shard, rest } = takeShard(given);
  const { args: selected, leftOut } = await leaveOutQuarantined(rest);
  if (leftOut.length > 0)
    progress(
      `left out, quarantined (docs/known-issues.md; \`npm start -- --tags ${QUARANTINED_TAG}\` runs them):\n  ${leftOut.join("\n  ")}`,
    );
  let args = selected;
  // A selection that matches nothing (a line filter not on a Scenario line, a tag
  // nobody uses) would pass without running anything.
  if ((await scenarioCount(args)) === 0) {
    progress(
      `no scenario matches the selection (${args.join(" ") || "all features"}): a line filter must point at a Scenario line`,
    );
    return 2;
  }
  // Sharded by the times of the last run here, read before its reports go.
  const part = shard && { shard, seconds: await recordedSeconds(reportDirs()) };
  // A UML pass's reports from an earlier run must not be counted with this one's; a
  // cluster an earlier run kept is swept by this one (it is a dead run's leftover).
  await rm(`${config().reportDir}/${UML_REPORTS}`, { recursive: true, force: true });
  await forgetKept(reportDirs());
  if (part) {
    const { index, total } = part.shard;
    const selected = await shardArgs(args, part.shard, part.seconds);
    if (!selected) {
      progress(`shard ${index}/${total} has no scenario: there are fewer scenarios than shards`);
      return 0;
    }
    const timed = part.seconds.size > 0 ? "balanced by the last run's times" : "no earlier times here: even counts";
    progress(`shard ${index}/${total}: ${selected.scenarios} of the ${selected.of} selected scenarios (${timed})`);
    args = selected.args;
  }
  return runPasses(args);
}

process.exitCode = await main(process.argv.slice(2));
