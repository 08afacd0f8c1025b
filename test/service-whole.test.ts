import { describe, it } from "node:test";
import { expect } from "expect";
import { notWhole, wantedTaskCount } from "../support/swarm/services.js";
import type { NodeListEntry } from "../support/text/docker-json.js";
import type { ServiceTask } from "../support/text/docker-json.js";

const node = (Hostname: string, Status = "Ready", Availability = "Active"): NodeListEntry => ({
  ID: Hostname,
  Hostname,
  Status,
  Availability,
  ManagerStatus: "",
  EngineVersion: "20.10.24",
  Self: false,
});
const task = (name: string, on: string): ServiceTask => ({
  id: `${name}-${on}`,
  name,
  node: on,
  currentState: "Running 3 seconds ago",
  error: "",
  containerName: `${name}.x`,
});
const nodes = [node("manager1"), node("worker1"), node("worker2")];
const global = { Global: {} };

describe("a service's tasks, as 'every task of' claims need them", () => {
  it("wants the replicas of a replicated service, one per Ready active node of a global one", () => {
    expect(wantedTaskCount({ Replicated: { Replicas: 3 } }, nodes)).toBe(3);
    expect(wantedTaskCount(global, nodes)).toBe(3);
    expect(
      wantedTaskCount(global, [node("manager1"), node("worker1", "Down"), node("worker2", "Ready", "Drain")]),
    ).toBe(1);
  });

  it("is whole when every wanted task runs", () => {
    const running = [task("my-web", "manager1"), task("my-web", "worker1"), task("my-web", "worker2")];
    expect(notWhole(global, nodes, running)).toBeUndefined();
    expect(notWhole({ Replicated: { Replicas: 3 } }, nodes, running)).toBeUndefined();
  });

  // The mutant of the churn and DNS-after-faults claims: a node whose task never ran again.
  it("says which node lacks its task, and how many of the wanted run", () => {
    const two = [task("my-web", "manager1"), task("my-web", "worker1")];
    expect(notWhole(global, nodes, two)).toBe(
      "2 of the 3 tasks it should have are running (my-web@manager1, my-web@worker1)",
    );
    const twiceOnOne = [...two, task("my-web", "worker1")];
    expect(notWhole(global, nodes, twiceOnOne)).toMatch(/^no task runs on worker2/);
    expect(notWhole({ Replicated: { Replicas: 3 } }, nodes, two)).toMatch(/^2 of the 3/);
    expect(notWhole({ Replicated: { Replicas: 0 } }, nodes, [])).toBe("it should run no task at all");
  });
});
