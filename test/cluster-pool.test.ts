// The pool's decisions, with a fake cluster care injected: nothing here starts Docker.
import { describe, it } from "node:test";
import { expect } from "expect";
import { ClusterPool, type ClusterCare, type PoolableCluster } from "../support/cluster/cluster-pool.js";
import { clusterShape, type ClusterShape } from "../support/cluster/cluster-shape.js";

class FakeCluster implements PoolableCluster {
  damage: string | undefined;
  stopped = false;
  activity: string[] = [];
  unclean?: string;
  constructor(
    readonly shape: ClusterShape,
    readonly id: number,
  ) {}
  async stop(): Promise<void> {
    this.stopped = true;
  }
}

function fakeCare(options: { resetFails?: boolean } = {}) {
  const started: FakeCluster[] = [];
  const resets: number[] = [];
  const care: ClusterCare<FakeCluster, string> = {
    start: async (shape) => {
      const cluster = new FakeCluster(shape, started.length + 1);
      started.push(cluster);
      return cluster;
    },
    mark: async (cluster) => `mark of ${cluster.id}`,
    activitySince: async (cluster) => cluster.activity,
    uncleanReason: async (cluster) => cluster.unclean,
    reset: async (cluster) => {
      if (options.resetFails) throw new Error("daemon did not restart");
      resets.push(cluster.id);
      cluster.activity = [];
    },
  };
  return { care, started, resets };
}

const three = clusterShape(1, 2, () => "20.10");
const five = clusterShape(3, 2, () => "20.10");

describe("cluster pool", () => {
  it("hands an untouched cluster back as it was", async () => {
    const { care, started, resets } = fakeCare();
    const pool = new ClusterPool(care, true);
    const first = await pool.acquire(three, { fresh: false });
    await pool.release();
    const second = await pool.acquire(three, { fresh: false });
    expect({ same: second === first, decision: pool.lastDecision, started: started.length, resets }).toEqual({
      same: true,
      decision: "reused as it was",
      started: 1,
      resets: [],
    });
  });

  it("keeps a cluster out of its care: not stopped at the end, not handed out again", async () => {
    const { care, started } = fakeCare();
    const pool = new ClusterPool(care, true);
    const failed = await pool.acquire(three, { fresh: false });
    expect(pool.keep()).toBe(failed);
    const next = await pool.acquire(three, { fresh: false });
    await pool.release();
    await pool.stopAll();
    expect({ hasKept: pool.hasKept, failedStopped: failed.stopped, nextStopped: next.stopped }).toEqual({
      hasKept: true,
      failedStopped: false,
      nextStopped: true,
    });
    expect(started.length).toBe(2);
  });

  it("resets a cluster the last scenario changed", async () => {
    const { care, resets } = fakeCare();
    const pool = new ClusterPool(care, true);
    const first = await pool.acquire(three, { fresh: false });
    first.activity = ["manager1: service create my-web"];
    await pool.release();
    expect(await pool.acquire(three, { fresh: false })).toBe(first);
    expect([pool.lastDecision, resets]).toEqual(["reset", [1]]);
  });

  it("starts fresh for another shape, stopping the idle cluster", async () => {
    const { care, started } = fakeCare();
    const pool = new ClusterPool(care, true);
    const first = await pool.acquire(three, { fresh: false });
    await pool.release();
    const second = await pool.acquire(five, { fresh: false });
    expect({
      stoppedFirst: first.stopped,
      second: second.id,
      decision: pool.lastDecision,
      started: started.length,
    }).toEqual({
      stoppedFirst: true,
      second: 2,
      decision: "fresh",
      started: 2,
    });
  });

  it("never hands out a damaged cluster again", async () => {
    const { care } = fakeCare();
    const pool = new ClusterPool(care, true);
    const first = await pool.acquire(three, { fresh: false });
    first.damage = "worker2 stopped";
    await pool.release();
    expect(first.stopped).toBe(true);
    expect((await pool.acquire(three, { fresh: false })).id).toBe(2);
  });

  it("starts fresh when a reset fails, and stops the failed cluster", async () => {
    const { care } = fakeCare({ resetFails: true });
    const pool = new ClusterPool(care, true);
    const first = await pool.acquire(three, { fresh: false });
    first.activity = ["manager1: network create my-network"];
    await pool.release();
    const second = await pool.acquire(three, { fresh: false });
    expect({ stoppedFirst: first.stopped, second: second.id, decision: pool.lastDecision }).toEqual({
      stoppedFirst: true,
      second: 2,
      decision: "fresh after a failed reset",
    });
  });

  it("starts fresh when an untouched cluster is not clean", async () => {
    const { care } = fakeCare();
    const pool = new ClusterPool(care, true);
    const first = await pool.acquire(three, { fresh: false });
    first.unclean = "worker1: container outsider";
    await pool.release();
    expect((await pool.acquire(three, { fresh: false })).id).toBe(2);
    expect(pool.lastDecision).toBe("fresh after a failed reset");
  });

  it("keeps nothing for @fresh-cluster scenarios or with reuse off", async () => {
    for (const [reuse, fresh] of [
      [true, true],
      [false, false],
    ]) {
      const { care } = fakeCare();
      const pool = new ClusterPool(care, reuse);
      const first = await pool.acquire(three, { fresh });
      await pool.release();
      expect(first.stopped).toBe(true);
    }
  });

  it("refuses a second cluster while a scenario holds one", async () => {
    const pool = new ClusterPool(fakeCare().care, true);
    await pool.acquire(three, { fresh: false });
    await expect(pool.acquire(three, { fresh: false })).rejects.toThrow("A scenario already holds a cluster");
  });

  it("stops everything at the end", async () => {
    const pool = new ClusterPool(fakeCare().care, true);
    const held = await pool.acquire(three, { fresh: false });
    await pool.stopAll();
    expect(held.stopped).toBe(true);
  });
});
