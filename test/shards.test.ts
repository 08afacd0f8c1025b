// Sharding: disjoint shards that together are the selection, balanced by recorded time.
import { describe, it } from "node:test";
import { expect } from "expect";
import { scenariosOfShard, takeShard, type PlannedScenario } from "../support/suite/shards.js";

const scenario = (line: number, uml = false): PlannedScenario => ({
  location: `features/a.feature:${line}`,
  key: `features/a.feature: s${line}`,
  uml,
});

describe("shards", () => {
  it("takes --shard i/n out of the arguments, and refuses what is not i/n with 1 <= i <= n", () => {
    expect(takeShard(["--profile", "ci", "--shard", "2/3", "features/x"])).toEqual({
      shard: { index: 2, total: 3 },
      rest: ["--profile", "ci", "features/x"],
    });
    expect(takeShard(["--shard=1/1"]).shard).toEqual({ index: 1, total: 1 });
    expect(takeShard(["features"])).toEqual({ rest: ["features"] });
    for (const bad of ["0/3", "4/3", "x", "2/"]) expect(() => takeShard(["--shard", bad])).toThrow(/--shard/);
  });

  it("gives every scenario to exactly one shard", () => {
    const all = [...Array.from({ length: 17 }, (_, i) => scenario(i + 1)), scenario(40, true), scenario(41, true)];
    const shards = [1, 2, 3].map((index) => scenariosOfShard(all, new Map(), { index, total: 3 }));
    const union = shards.flat().map((s) => s.location);
    expect(union.length).toBe(all.length);
    expect(new Set(union)).toEqual(new Set(all.map((s) => s.location)));
    // The two UML scenarios go to different shards.
    expect(shards.map((s) => s.filter((x) => x.uml).length).sort()).toEqual([0, 1, 1]);
  });

  it("balances by recorded time: a 600 s scenario gets a shard of its own", () => {
    const all = [scenario(1), scenario(2), scenario(3), scenario(4), scenario(5)];
    const seconds = new Map([
      ["features/a.feature: s1", 600],
      ["features/a.feature: s2", 100],
      ["features/a.feature: s3", 100],
      ["features/a.feature: s4", 100],
      ["features/a.feature: s5", 100],
    ]);
    const first = scenariosOfShard(all, seconds, { index: 1, total: 2 });
    const second = scenariosOfShard(all, seconds, { index: 2, total: 2 });
    expect(first.map((s) => s.location)).toEqual(["features/a.feature:1"]);
    expect(second.length).toBe(4);
  });
});
