// Hands clusters to scenarios. A scenario that asks for the shape of the cluster
// already running gets it back, reset and checked clean; any other shape, a
// scenario marked as damaging, or a failed reset means a fresh cluster.
import { progress, timed } from "./log.js";
import { resetCluster } from "./cluster-reset.js";
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
        await timed(`resetting reused cluster (${describeShape(shape)})`, () => resetCluster(candidate));
        cluster = candidate;
      } catch (error) {
        progress(`reset failed, starting a fresh cluster instead: ${String(error).split("\n")[0]}`);
        await candidate.stop();
      }
    } else if (candidate) {
      await candidate.stop();
    }
    cluster ??= await new SwarmClusterBuilder(shape, this.env).start();
    this.inUse = cluster;
    this.inUseReusable = reusable;
    return cluster;
  }

  /** Takes the scenario's cluster back; keeps it for the next scenario if it may be reused. */
  async release(): Promise<void> {
    const cluster = this.inUse;
    this.inUse = undefined;
    if (!cluster) return;
    if (this.inUseReusable) this.idle = cluster;
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
