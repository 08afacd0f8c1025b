// What a person is told about a cluster kept after a failure, and how a node of it is found.
import { describe, it } from "node:test";
import { expect } from "expect";
import { findKeptNode, keptRecipe, type KeptCluster } from "../support/cluster/kept-cluster.js";

const kept: KeptCluster = {
  scenario: "a worker's power is cut",
  keptAt: "2026-12-07T07:45:00.000Z",
  nodes: [
    { name: "manager1", role: "manager", address: "192.168.33.10", kind: "container", access: { container: "c-m1" } },
    {
      name: "worker1",
      role: "worker",
      address: "192.168.83.11",
      kind: "UML 6.1.176",
      access: { channel: "10.254.0.1:40000", boot: "abc" },
    },
  ],
};

describe("kept cluster", () => {
  it("says how to reach each node: a container by docker exec, a UML node by npm run node", () => {
    expect(keptRecipe(kept).split("\n")).toEqual([
      'kept the cluster of "a worker\'s power is cut" for inspection (SWARMNET_KEEP=on-failure):',
      "  manager1 (manager, container, 192.168.33.10): docker exec -it c-m1 docker node ls",
      "  worker1 (worker, UML 6.1.176, 192.168.83.11): npm run node -- worker1 docker network ls",
      "  npm run clean removes it (the next run removes it too, as a dead run's leftover)",
    ]);
  });

  it("finds a node by name, and names the kept nodes when there is no such node", () => {
    expect(findKeptNode([kept], "worker1").access).toEqual({ channel: "10.254.0.1:40000", boot: "abc" });
    expect(() => findKeptNode([kept], "worker9")).toThrow(/the kept nodes are manager1, worker1/);
    expect(() => findKeptNode([], "worker1")).toThrow(/No cluster is kept/);
  });
});
