import { describe, it } from "node:test";
import { expect } from "expect";
import { dualStackFindings } from "../support/swarm/dual-stack.js";

const subnets = ["10.0.7.0/24", "fd00:7::/64"];

describe("what the swarm gave a dual-stack overlay's tasks", () => {
  it("counts only what the swarm gave, and reports what nodes made up", () => {
    // 20.10/26.1 as seen: one address from the swarm per task; the node makes up the other family.
    const tasks = [
      { label: "my-web@manager1", fromSwarm: ["10.0.7.3"], own: ["10.0.7.3", "fd00:7::3"] },
      { label: "my-web@worker1", fromSwarm: ["fd00:7::5"], own: ["10.0.7.2", "fd00:7::5"] },
      { label: "my-web@worker2", fromSwarm: ["10.0.7.4"], own: ["10.0.7.4", "fd00:7::3"] },
    ];
    expect(dualStackFindings(tasks, subnets)).toEqual({
      perTask: [1, 1, 1],
      notOnContainer: [],
      outsideSubnets: [],
      givenTwice: [],
      madeUp: ["fd00:7::3", "10.0.7.2", "fd00:7::3"],
      madeUpRepeated: ["fd00:7::3"],
    });
  });

  // The mutant the old check passed: IPv6 on every container, all made up by nodes, all the same.
  it("does not count node-made-up IPv6 addresses as given, nor pass duplicates or strays", () => {
    const madeUpOnly = [
      { label: "a", fromSwarm: ["10.0.7.3"], own: ["10.0.7.3", "fd00:7::3"] },
      { label: "b", fromSwarm: ["10.0.7.3", "fd00:8::1"], own: ["fd00:7::3"] },
    ];
    expect(dualStackFindings(madeUpOnly, subnets)).toMatchObject({
      perTask: [1, 2],
      notOnContainer: ["b: 10.0.7.3", "b: fd00:8::1"],
      outsideSubnets: ["fd00:8::1"],
      givenTwice: ["10.0.7.3"],
    });
  });
});
