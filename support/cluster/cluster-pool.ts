// Hands clusters to scenarios. A scenario that asks for the shape of the cluster
// already running gets it back, reset (or, if the last scenario changed nothing,
// as it is) and checked clean; any other shape, a scenario marked as damaging, a
// cluster that had a fault injected, or a failed reset means a fresh cluster.
import type { HostEnvironment } from "../host/harness.js";
import { SwarmnetError } from "../run/errors.js";
import { progress, timed } from "../run/log.js";
import { activitySince, markActivity, type ActivityMark } from "./cluster-activity.js";
import { clusterState, isClean, resetCluster } from "./cluster-reset.js";
import { describeShape, sameShape, type ClusterShape } from "./cluster-shape.js";
import { SwarmClusterBuilder, type StartedSwarmCluster } from "./swarm-cluster.js";

export interface AcquireOptions {
  /** Never reuse for this scenario (it damages the cluster, or must see a new one). */
  fresh: boolean;
}

/** What the pool needs of a cluster. */
export interface PoolableCluster {
  readonly shape: ClusterShape;
  readonly damage: string | undefined;
  stop(): Promise<void>;
}

/** How the pool starts, watches, checks and resets clusters (real Docker, or fakes in tests). */
export interface ClusterCare<C extends PoolableCluster, Mark> {
  start(shape: ClusterShape): Promise<C>;
  mark(cluster: C): Promise<Mark>;
  /** What happened since the mark, one line per thing; empty if nothing. */
  activitySince(cluster: C, mark: Mark): Promise<string[]>;
  /** Why the cluster is not clean, or undefined if it is. */
  uncleanReason(cluster: C): Promise<string | undefined>;
  reset(cluster: C): Promise<void>;
}

export type PoolDecision = "fresh" | "reused as it was" | "reset" | "fresh after a failed reset";

export class ClusterInUseError extends SwarmnetError {}

export class ClusterPool<C extends PoolableCluster, Mark> {
  /** At most one cluster lives per process: it bounds memory and keeps one lab subnet. */
  private idle?: C;
  private inUse?: C;
  private inUseReusable = false;
  private handedOver?: Mark;
  /** How the last cluster handed out was obtained. */
  lastDecision?: PoolDecision;
  /** Whether a cluster was taken out of the pool's care to be kept after the run. */
  hasKept = false;

  constructor(
    private readonly care: ClusterCare<C, Mark>,
    private readonly reuse: boolean,
  ) {}

  async acquire(shape: ClusterShape, { fresh }: AcquireOptions): Promise<C> {
    if (this.inUse) throw new ClusterInUseError("A scenario already holds a cluster: one cluster per scenario.");
    const reusable = this.reuse && !fresh;
    const candidate = this.idle;
    this.idle = undefined;
    let cluster: C | undefined;
    let decision: PoolDecision = "fresh";
    if (candidate && reusable && sameShape(candidate.shape, shape)) {
      try {
        decision = await this.makeReady(candidate, shape);
        cluster = candidate;
      } catch (error) {
        // Two lines: a failed node command says what ran, then its stderr (the cause).
        progress(`reset failed, starting a fresh cluster instead: ${String(error).split("\n").slice(0, 2).join(" ")}`);
        decision = "fresh after a failed reset";
        await candidate.stop();
      }
    } else if (candidate) {
      await candidate.stop();
    }
    cluster ??= await this.care.start(shape);
    try {
      this.handedOver = reusable ? await this.care.mark(cluster) : undefined;
    } catch (error) {
      await cluster.stop();
      throw error;
    }
    this.inUse = cluster;
    this.inUseReusable = reusable;
    this.lastDecision = decision;
    return cluster;
  }

  /** A reset, unless the last scenario left no trace; either way checked clean. */
  private async makeReady(cluster: C, shape: ClusterShape): Promise<PoolDecision> {
    const activity = this.handedOver
      ? await this.care.activitySince(cluster, this.handedOver)
      : ["(no hand-over mark)"];
    if (activity.length > 0) {
      await timed(`resetting reused cluster (${describeShape(shape)}; last scenario: ${summarise(activity)})`, () =>
        this.care.reset(cluster),
      );
      return "reset";
    }
    const unclean = await this.care.uncleanReason(cluster);
    if (unclean) throw new SwarmnetError(`The cluster shows no activity but is not clean: ${unclean}`);
    progress(`reusing cluster (${describeShape(shape)}) as it is: the last scenario changed nothing`);
    return "reused as it was";
  }

  /** Takes the scenario's cluster back; keeps it for the next scenario if it may be reused. */
  async release(): Promise<void> {
    const cluster = this.inUse;
    this.inUse = undefined;
    if (!cluster) return;
    if (this.inUseReusable && !cluster.damage) this.idle = cluster;
    else await cluster.stop();
  }

  /** Takes the scenario's cluster out of the pool's care: neither reused nor stopped (SWARMNET_KEEP). */
  keep(): C | undefined {
    const cluster = this.inUse;
    this.inUse = undefined;
    if (cluster) this.hasKept = true;
    return cluster;
  }

  async stopAll(): Promise<void> {
    await this.release();
    await this.idle?.stop();
    this.idle = undefined;
  }
}

function summarise(activity: string[]): string {
  return activity.length > 3
    ? `${activity.slice(0, 3).join(", ")} and ${activity.length - 3} more`
    : activity.join(", ");
}

/** The pool of real swarms on the host's daemon. */
export function swarmClusterPool(
  host: HostEnvironment,
  reuse: boolean,
): ClusterPool<StartedSwarmCluster, ActivityMark> {
  return new ClusterPool<StartedSwarmCluster, ActivityMark>(
    {
      start: (shape) => SwarmClusterBuilder.forShape(shape, host).start(),
      mark: markActivity,
      activitySince,
      uncleanReason: async (cluster) => {
        const state = await clusterState(cluster);
        return isClean(state) ? undefined : JSON.stringify(state);
      },
      reset: resetCluster,
    },
    reuse,
  );
}
