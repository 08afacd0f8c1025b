// Set-up, use, tear-down in one place: the harness before the first scenario, a
// cluster per scenario from the pool, diagnostics on failure, all removed at the end.
import {
  After,
  AfterAll,
  Before,
  BeforeAll,
  Status,
  type ITestCaseHookParameter,
  setDefaultTimeout,
  setParallelCanAssign,
  setWorldConstructor,
} from "@cucumber/cucumber";
import { swarmClusterPool } from "../support/cluster/cluster-pool.js";
import { keptRecipe, keptRecord, writeKept } from "../support/cluster/kept-cluster.js";
import { removeAbandonedUml } from "../support/host/uml-ledger.js";
import { collectDiagnostics } from "../support/cluster/diagnostics.js";
import { getHarness } from "../support/host/harness.js";
import { describeKernel, skipReason } from "../support/host/kernel-capabilities.js";
import { overBudget } from "../support/run/budget.js";
import { config } from "../support/run/config.js";
import { canRunBeside } from "../support/run/parallel-rules.js";
import { progress } from "../support/run/log.js";
import { UML_TAGS } from "../support/run/tags.js";
import { SwarmWorld } from "./world.js";

setWorldConstructor(SwarmWorld);
// Cluster starts and convergence waits poll with their own deadlines; this is the
// backstop, stretched like them on slow kernels (SWARMNET_TIMEOUT_SCALE).
setDefaultTimeout(5 * 60_000 * config().timeoutScale);
// Under --parallel, scenarios tagged @alone run with nothing beside them.
const tagNames = (pickle: { tags: readonly { name: string }[] }) => pickle.tags.map((t) => t.name);
setParallelCanAssign((pickle, inProgress) => canRunBeside(tagNames(pickle), inProgress.map(tagNames)));

type Pool = ReturnType<typeof swarmClusterPool>;
let pool: Pool | undefined;

export async function clusterPool(): Promise<Pool> {
  if (!pool) {
    const harness = await getHarness();
    pool = swarmClusterPool(harness.host, harness.config.reuseClusters);
  }
  return pool;
}

BeforeAll({ timeout: 30 * 60_000 }, async function () {
  await getHarness();
});

// Past the run's budget (SWARMNET_BUDGET) no scenario starts: it is reported as not run.
Before(function (this: SwarmWorld, { pickle }) {
  const reason = overBudget(config().budgetEndsAt);
  if (!reason) return undefined;
  this.observe({ kind: "skip", reason });
  progress(`not starting "${pickle.name}": ${reason}`);
  return "skipped";
});

Before(async function (this: SwarmWorld, { pickle }) {
  this.tags = pickle.tags.map((t) => t.name);
  // Which kernel ran the scenario, in its report.
  this.note(`kernel: ${describeKernel((await getHarness()).kernel)}`);
});

Before({ tags: UML_TAGS }, async function (this: SwarmWorld, { pickle }) {
  const reason = skipReason(this.tags, (await getHarness()).kernel);
  if (!reason) return undefined;
  if (config().kernelSkips === "fail")
    throw new Error(
      `"${pickle.name}" cannot run here: ${reason}. Under CI a scenario that needs a kernel feature ` +
        `fails where none can be had; SWARMNET_ALLOW_KERNEL_SKIPS=true skips it instead, saying why.`,
    );
  this.observe({ kind: "skip", reason });
  this.log(`SKIPPED: ${reason}`);
  progress(`skipping "${pickle.name}": ${reason}`);
  return "skipped";
});

/** SWARMNET_KEEP=on-failure: a failed scenario's cluster stays as it failed, faults and all. */
const keepsCluster = (world: SwarmWorld, result: ITestCaseHookParameter["result"]) =>
  world.hasCluster && result?.status === Status.FAILED && config().keep === "on-failure";

// After hooks run in reverse order of definition: the cluster goes back to the pool
// (or is kept) last, after the diagnostics below have read it.
After(async function (this: SwarmWorld, { pickle, result }) {
  if (!this.hasCluster) return;
  const pool = await clusterPool();
  if (!keepsCluster(this, result)) return pool.release();
  const cluster = pool.keep();
  if (!cluster) return;
  const kept = keptRecord(pickle.name, cluster);
  await writeKept(config().reportDir, config().workerId, kept);
  this.note(keptRecipe(kept));
  progress(keptRecipe(kept));
});

// Faults are lifted after the diagnostics (which show the faulty state) and before
// the cluster goes back; a cluster that had one is discarded, never reused.
After(async function (this: SwarmWorld, { result }) {
  if (keepsCluster(this, result)) return;
  const failures = await this.faults.liftAll();
  if (failures.length > 0) this.log(`could not lift: ${failures.join("; ")} (the cluster is discarded anyway)`);
});

After(async function (this: SwarmWorld, { result }) {
  if (result?.status === Status.FAILED && this.hasCluster) {
    const report = await collectDiagnostics(this.cluster, [...this.networksSeen], [...this.servicesSeen]);
    this.attach(report, { mediaType: "text/plain", fileName: "swarm-diagnostics.txt" });
  }
});

AfterAll({ timeout: 120_000 }, async function () {
  await pool?.stopAll();
  // A kept cluster's UML nodes are this process's, and stay.
  if (!pool?.hasKept) removeAbandonedUml();
});
