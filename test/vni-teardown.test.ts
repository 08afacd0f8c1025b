import { describe, it } from "node:test";
import { expect } from "expect";
import { notFreedWithin, parseVniCycles } from "../support/cluster/vni-teardown.js";

describe("a VNI torn down with its namespace", () => {
  it("reads the cycle script's result line, and fails without one", () => {
    expect(parseVniCycles("cycles=50 held=3 longest=150 never=0\n")).toEqual({
      cycles: 50,
      heldRightAfter: 3,
      longestHeldMs: 150,
      neverFreed: 0,
    });
    expect(() => parseVniCycles("ip: RTNETLINK answers: File exists")).toThrow(/no result line/);
  });

  it("holds the bound only when every VNI was freed within it", () => {
    const seen = { cycles: 50, heldRightAfter: 3, longestHeldMs: 150, neverFreed: 0 };
    expect(notFreedWithin(seen, 5000)).toEqual([]);
    expect(notFreedWithin({ ...seen, longestHeldMs: 6000 }, 5000)).toEqual([
      "a VNI was held 6000 ms, not under 5000 ms",
    ]);
    expect(notFreedWithin({ ...seen, neverFreed: 1, longestHeldMs: 30_000 }, 5000)).toHaveLength(2);
    expect(notFreedWithin({ cycles: 0, heldRightAfter: 0, longestHeldMs: 0, neverFreed: 0 }, 5000)).toEqual([
      "no cycle ran",
    ]);
  });
});
