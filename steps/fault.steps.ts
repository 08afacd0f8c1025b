// Faults: nodes stopped, killed, cut off or restarted, and how the swarm recovers.
// Recovery steps poll until their deadline and log how long recovery took; "keeps"
// steps sample a condition over a window and fail on the first sample that breaks it.
import { Then, When, type DataTable } from "@cucumber/cucumber";
import { expect } from "expect";
import {
  cutNode,
  flushFirewall,
  partition,
  stopNode,
  type Cut,
  type InjectedFault,
} from "../support/cluster/faults.js";
import { forEachNode, perNode } from "../support/cluster/per-node.js";
import type { StartedSwarmNode } from "../support/cluster/swarm-node.js";
import { DEADLINE_MS } from "../support/run/limits.js";
import { restartRounds } from "../support/swarm/auto-start.js";
import { lowerUnderlayMtu } from "../support/swarm/data-path.js";
import { isRunning } from "../support/swarm/services.js";
import { eventually, holds, pollUntil, type Deadline } from "../support/run/poll.js";
import type { NodeStatus } from "./parameter-types.js";
import { rowForEngine, rowsOf } from "./tables.js";
import { watchWhile } from "./watching.js";
import type { SwarmWorld } from "./world.js";

/** Runs a recovery wait and puts its duration in the report. */
async function recovery(world: SwarmWorld, what: string, wait: () => Promise<void>): Promise<void> {
  await wait();
  world.log(`${what}${world.sinceLastAction()}`);
}

async function inject(world: SwarmWorld, fault: () => Promise<InjectedFault>): Promise<void> {
  const injected = await world.faults.inject(world.cluster, fault);
  world.acted(injected.description);
  world.log(`fault: ${injected.description}`);
}

When("{node} is stopped", async function (this: SwarmWorld, node: StartedSwarmNode) {
  await inject(this, stopNode(this.cluster, node, "stop"));
});

When("{node} is killed", async function (this: SwarmWorld, node: StartedSwarmNode) {
  await inject(this, stopNode(this.cluster, node, "kill"));
});

When("{node} boots again", async function (this: SwarmWorld, node: StartedSwarmNode) {
  await this.cluster.bootAgain(node.name);
  this.acted(`${node.name} booted again`);
});

When("{node} loses {cut}", async function (this: SwarmWorld, node: StartedSwarmNode, cut: Cut) {
  await inject(this, cutNode(this.cluster, node, cut));
});

When(
  "the lab network is split between {nodes} on one side and {nodes} on the other",
  async function (this: SwarmWorld, one: StartedSwarmNode[], other: StartedSwarmNode[]) {
    await inject(this, partition([one, other]));
  },
);

When("the cut is lifted", async function (this: SwarmWorld) {
  if (this.faults.descriptions.length === 0) throw new Error("No cut is in force: nothing to lift.");
  const failures = await this.faults.liftAll();
  if (failures.length > 0) throw new Error(`Could not lift: ${failures.join("; ")}`);
  this.acted("the cut is lifted");
});

When("the iptables rules of {node} are flushed", async function (this: SwarmWorld, node: StartedSwarmNode) {
  await inject(this, flushFirewall(node));
});

When("the lab network's MTU is lowered to {int} on every node", async function (this: SwarmWorld, mtu: number) {
  await inject(this, lowerUnderlayMtu(this.cluster.nodes, mtu));
});

When("the Docker daemon on {node} restarts", async function (this: SwarmWorld, node: StartedSwarmNode) {
  await node.restartDaemon({ wipe: false });
  this.acted(`the Docker daemon on ${node.name} restarted`);
});

When(
  "the container of the task of {service} on {node} is killed",
  async function (this: SwarmWorld, service: string, node: StartedSwarmNode) {
    const task = await this.swarm.localTask(service, node);
    await node.dockerOk(["kill", task.container]);
    this.memory.remember("killed task", { node: node.name, container: task.container }, service);
    this.acted(`${node.name}: the container of ${task.label} killed`);
  },
);

Then(
  "{deadline}, {node} runs a new task of {service}",
  async function (this: SwarmWorld, deadline: Deadline, node: StartedSwarmNode, service: string) {
    const killed = this.memory.recall("killed task", service);
    if (killed.node !== node.name)
      throw new Error(`The task of ${service} that was killed ran on ${killed.node}, not on ${node.name}.`);
    await recovery(this, `${node.name} runs a new task of ${service}`, () =>
      eventually(
        `a task of ${service} on ${node.name} other than ${killed.container}`,
        async () => expect((await this.swarm.localTask(service, node)).container).not.toBe(killed.container),
        { timeoutMs: deadline.ms, intervalMs: 500 },
      ),
    );
  },
);

When("every node's Docker daemon restarts at once", async function (this: SwarmWorld) {
  // All at once: for a moment no manager is up, and the swarm must form again from disk.
  await Promise.all(this.cluster.liveNodes.map((node) => node.restartDaemon({ wipe: false })));
  this.acted(`the Docker daemons of ${this.cluster.liveNodes.map((n) => n.name).join(", ")} restarted at once`);
});

When(
  "the Docker daemon on {node} restarts up to {int} times, while container {word} runs on network {network} again within {int} s of each",
  async function (
    this: SwarmWorld,
    node: StartedSwarmNode,
    times: number,
    container: string,
    network: string,
    seconds: number,
  ) {
    if (times < 1) throw new Error(`Restart the daemon at least once (got ${times}).`);
    const rounds = await restartRounds(node, container, network, { rounds: times, waitMs: seconds * 1000 });
    this.memory.remember("restart rounds", { node: node.name, rounds, of: times }, container);
    this.acted(`the Docker daemon on ${node.name} restarted ${rounds.length} of up to ${times} times`);
    const lines = rounds.map(
      (r) =>
        `restart ${r.round}: ${r.ranAgainMs === undefined ? `not running after ${seconds} s` : `ran again after ${(r.ranAgainMs / 1000).toFixed(1)} s`} (${r.lastSeen})`,
    );
    if (rounds.length < times) lines.push(`(no more restarts after the first it did not run again after)`);
    this.log(`${container} on ${node.name}:\n${lines.join("\n")}`);
  },
);

Then(
  "container {word} ran again after this many restarts in a row, by engine:",
  async function (this: SwarmWorld, container: string, table: DataTable) {
    const { node, rounds, of } = this.memory.recall("restart rounds", container);
    const version = await this.cluster.node(node).engineVersion();
    const row = rowForEngine(rowsOf(table, ["engine", "ran again"]), version, node);
    const floor = /^at least (\d+) of (\d+)$/.exec(row["ran again"].trim());
    if (!floor || Number(floor[2]) !== of)
      throw new Error(
        `In the row for ${row.engine}, write "at least N of ${of}" (the restarts asked for); got "${row["ran again"]}".`,
      );
    const inARow = rounds.filter((r) => r.ranAgainMs !== undefined).length;
    this.log(
      `engine ${version}: ${container} ran again after ${inARow} of ${of} restarts in a row; the floor is ${floor[1]}`,
    );
    expect({ inARow, of }).toEqual({ inARow: Math.max(inARow, Number(floor[1])), of });
  },
);

/** A node's status in `docker node ls`; a node that left and rejoined has two entries: Ready wins. */
async function statusOf(world: SwarmWorld, node: StartedSwarmNode): Promise<{ node: string; status: string }> {
  const entries = (await world.cluster.nodeList()).filter((n) => n.Hostname === node.name);
  const status = entries.find((n) => n.Status === "Ready")?.Status ?? entries[0]?.Status ?? "(not listed)";
  return { node: node.name, status };
}

Then(
  "{deadline}, the swarm reports {node} as {status}",
  async function (this: SwarmWorld, deadline: Deadline, node: StartedSwarmNode, status: NodeStatus) {
    await recovery(this, `${node.name} reported ${status}`, () =>
      eventually(
        `${node.name} to be ${status} in 'docker node ls'`,
        async () => expect(await statusOf(this, node)).toEqual({ node: node.name, status }),
        { timeoutMs: deadline.ms, intervalMs: 500 },
      ),
    );
  },
);

Then(
  "for {int} s, the swarm keeps reporting {node} as {status}",
  async function (this: SwarmWorld, seconds: number, node: StartedSwarmNode, status: NodeStatus) {
    const samples = await holds(
      `${node.name} ${status} in 'docker node ls'`,
      async () => expect(await statusOf(this, node)).toEqual({ node: node.name, status }),
      { durationMs: seconds * 1000 },
    );
    this.log(`${node.name} stayed ${status} for ${seconds} s (${samples} samples)${this.sinceLastAction()}`);
  },
);

async function runningCount(
  world: SwarmWorld,
  service: string,
  lost?: StartedSwarmNode,
): Promise<Record<string, unknown>> {
  const running = await world.swarm.runningTasks(service);
  if (!lost) return { running: running.length };
  return { running: running.length, onLostNode: running.filter((t) => t.node === lost.name).map((t) => t.name) };
}

Then(
  "{deadline}, service {service} is back to {int} running task(s), none on {node}",
  async function (this: SwarmWorld, deadline: Deadline, service: string, replicas: number, lost: StartedSwarmNode) {
    await recovery(this, `${service} back to ${replicas} running tasks off ${lost.name}`, () =>
      eventually(
        `${replicas} running tasks of ${service}, none on ${lost.name}`,
        async () => expect(await runningCount(this, service, lost)).toEqual({ running: replicas, onLostNode: [] }),
        { timeoutMs: deadline.ms, intervalMs: 500 },
      ),
    );
  },
);

Then(
  "{deadline}, service {service} is back to {int} running task(s)",
  async function (this: SwarmWorld, deadline: Deadline, service: string, replicas: number) {
    await recovery(this, `${service} back to ${replicas} running tasks`, () =>
      eventually(
        `${replicas} running tasks of ${service}`,
        async () => expect(await runningCount(this, service)).toEqual({ running: replicas }),
        { timeoutMs: deadline.ms, intervalMs: 500 },
      ),
    );
  },
);

Then(
  "{deadline}, a manager other than {node} is the Leader",
  async function (this: SwarmWorld, deadline: Deadline, old: StartedSwarmNode) {
    await recovery(this, "a new leader elected", async () => {
      await this.cluster.untilNodeList(
        `a Leader other than ${old.name}`,
        (l) => l.some((n) => n.ManagerStatus === "Leader" && n.Hostname !== old.name),
        { timeoutMs: deadline.ms, intervalMs: 500 },
      );
    });
  },
);

Then(
  "{deadline}, no other node lists {node} among the Peers of network {network}",
  async function (this: SwarmWorld, deadline: Deadline, gone: StartedSwarmNode, network: string) {
    await recovery(this, `${gone.name} gone from the Peers of ${network}`, () =>
      eventually(
        `${gone.name} to leave the Peers of ${network}`,
        async () => {
          const others = this.cluster.liveNodes.filter((n) => n !== gone);
          const listed = await perNode(others, async (n) =>
            (await this.swarm.peersOn(n, network)).includes(gone.address),
          );
          expect(listed).toEqual(forEachNode(others, false));
        },
        { timeoutMs: deadline.ms, intervalMs: 500 },
      ),
    );
  },
);

When(
  "{node} is drained while a client on {node} keeps requesting {string} over HTTP",
  async function (this: SwarmWorld, drained: StartedSwarmNode, clientNode: StartedSwarmNode, host: string) {
    const service = host.replace(/^tasks\./, "");
    await watchWhile(this, await this.swarm.localTask(service, clientNode), host, async () => {
      await this.swarm.setAvailability(drained, "drain");
      this.acted(`${drained.name} drained`);
      // Until the moved tasks run elsewhere.
      const before = (await this.swarm.desiredTasks(service)).length;
      await pollUntil(
        `${before} running tasks of ${service}, none on ${drained.name}`,
        () => this.swarm.desiredTasks(service),
        (tasks) => tasks.length === before && tasks.every((t) => t.node !== drained.name && isRunning(t)),
        { timeoutMs: DEADLINE_MS.runningTasks, intervalMs: 500 },
      );
    });
  },
);

/** Fewer answers than this and the client did not watch long enough to prove anything. */
const MIN_ANSWERS = 5;

function expectFailedAtMost(world: SwarmWorld, most: number): void {
  const { failed, answered } = world.memory.recall("watched HTTP");
  expect({ failedAtMost: failed <= most, failed, answeredAtLeast: answered >= MIN_ANSWERS }).toEqual({
    failedAtMost: true,
    failed,
    answeredAtLeast: true,
  });
}

Then("every request of the client was answered", function (this: SwarmWorld) {
  expectFailedAtMost(this, 0);
});

Then("at most {int} request(s) of the client failed", function (this: SwarmWorld, most: number) {
  expectFailedAtMost(this, most);
});
