// Hands clusters to scenarios. A scenario that asks for the shape of the cluster
// already running gets it back, reset (or, if the last scenario changed nothing,
// as it is) and checked clean; any other shape, a scenario marked as damaging, a
// cluster that had a fault injected, or a failed reset means a fresh cluster.
import { activitySince, markActivity, type ActivityMark } from "./cluster-activity.js";
import { progress, timed } from "./log.js";
import { clusterState, isClean, resetCluster } from "./cluster-reset.js";
import { SwarmClusterBuilder, describeShape, type ClusterEnvironment, type ClusterShape, type StartedSwarmCluster } from "./swarm-cluster.js";

export interface AcquireOptions {
  /** Never reuse for this scenario (it damages the cluster, or must see a new one). */
  fresh: boolean;
}

export class ClusterPool {
  /** At most one cluster lives per process: it bounds memory and keeps one lab subnet. */
  private idle?: StartedSwarmCluster;
  private inUse?: StartedSwarmCluster;
  private inUseReusable = false;
  private handedOver?: ActivityMark;

  constructor(
    private readonly env: ClusterEnvironment,
    private readonly reuse: boolean,
  ) {}

  async acquire(shape: ClusterShape, { fresh }: AcquireOptions): Promise<StartedSwarmCluster> {
    if (this.inUse) throw new Error("A scenario already holds a cluster: one cluster per scenario.");
    const reusable = this.reuse && !fresh;
    const candidate = this.idle;
    this.idle = undefined;
    let cluster: StartedSwarmCluster | undefined;
    if (candidate && reusable && sameShape(candidate.shape, shape)) {
      try {
        await this.makeReady(candidate, shape);
        cluster = candidate;
      } catch (error) {
        progress(`reset failed, starting a fresh cluster instead: ${String(error).split("\n")[0]}`);
        await candidate.stop();
      }
    } else if (candidate) {
      await candidate.stop();
    }
    cluster ??= await new SwarmClusterBuilder(shape, this.env).start();
    try {
      this.handedOver = reusable ? await markActivity(cluster) : undefined;
    } catch (error) {
      await cluster.stop();
      throw error;
    }
    this.inUse = cluster;
    this.inUseReusable = reusable;
    return cluster;
  }

  /** A reset, unless the last scenario left no trace; either way checked clean. */
  private async makeReady(cluster: StartedSwarmCluster, shape: ClusterShape): Promise<void> {
    const activity = this.handedOver ? await activitySince(cluster, this.handedOver) : ["(no hand-over mark)"];
    if (activity.length > 0) {
      await timed(`resetting reused cluster (${describeShape(shape)}; last scenario: ${summarise(activity)})`, () => resetCluster(cluster));
      return;
    }
    const state = await clusterState(cluster);
    if (!isClean(state)) throw new Error(`The cluster shows no activity but is not clean: ${JSON.stringify(state)}`);
    progress(`reusing cluster (${describeShape(shape)}) as it is: the last scenario changed nothing`);
  }

  /** Takes the scenario's cluster back; keeps it for the next scenario if it may be reused. */
  async release(): Promise<void> {
    const cluster = this.inUse;
    this.inUse = undefined;
    if (!cluster) return;
    if (this.inUseReusable && !cluster.damage) this.idle = cluster;
    else await cluster.stop();
  }

  async stopAll(): Promise<void> {
    await this.release();
    await this.idle?.stop();
    this.idle = undefined;
  }
}

export function sameShape(a: ClusterShape, b: ClusterShape): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function summarise(activity: string[]): string {
  return activity.length > 3 ? `${activity.slice(0, 3).join(", ")} and ${activity.length - 3} more` : activity.join(", ");
}
