// Faults: nodes stopped, killed, cut off or restarted, and how the swarm recovers.
// Recovery steps poll until their deadline and log how long recovery took.
import { Then, When } from "@cucumber/cucumber";
import { expect } from "expect";
import { cutNode, stopNode, type Cut } from "../support/faults.js";
import { eventually, pollUntil } from "../support/poll.js";
import { desiredTasks } from "../support/service-tasks.js";
import { watchHttp } from "../support/http-watch.js";
import type { StartedSwarmNode } from "../support/swarm-node.js";
import type { SwarmWorld } from "./world.js";

/** Runs a recovery wait and puts its duration in the report. */
async function recovery(world: SwarmWorld, what: string, wait: () => Promise<void>): Promise<void> {
  await wait();
  world.log(`${what}${world.sinceLastAction()}`);
}

async function inject(world: SwarmWorld, fault: Parameters<SwarmWorld["faults"]["inject"]>[1]): Promise<void> {
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

const CUTS: Record<string, Cut> = { "all its traffic": "all", "its control-plane traffic": "control-plane", "its data-plane traffic": "data-plane" };

When("{node} loses {cut}", async function (this: SwarmWorld, node: StartedSwarmNode, cut: string) {
  await inject(this, cutNode(this.cluster, node, CUTS[cut]));
});

When("the cut is lifted", async function (this: SwarmWorld) {
  if (this.faults.descriptions.length === 0) throw new Error("No cut is in force: nothing to lift.");
  const failures = await this.faults.liftAll();
  if (failures.length > 0) throw new Error(`Could not lift: ${failures.join("; ")}`);
  this.acted("the cut is lifted");
});

When("the Docker daemon on {node} restarts", async function (this: SwarmWorld, node: StartedSwarmNode) {
  await node.restartDaemon({ wipe: false });
  this.acted(`the Docker daemon on ${node.name} restarted`);
});

/** A node's status in `docker node ls`; a node that left and rejoined has two entries: Ready wins. */
function statusOf(list: { Hostname: string; Status: string }[], name: string): string {
  const entries = list.filter((n) => n.Hostname === name);
  return entries.find((n) => n.Status === "Ready")?.Status ?? entries[0]?.Status ?? "(not listed)";
}

Then("within {int} s, the swarm reports {node} as {word}", async function (this: SwarmWorld, seconds: number, node: StartedSwarmNode, status: string) {
  await recovery(this, `${node.name} reported ${status}`, async () => {
    await eventually(`${node.name} to be ${status} in 'docker node ls'`, async () => {
      expect({ node: node.name, status: statusOf(await this.cluster.nodeList(), node.name) }).toEqual({ node: node.name, status });
    }, { timeoutMs: seconds * 1000, intervalMs: 500 });
  });
});

Then(
  "within {int} s, service {service} is back to {int} running task(s), none on {node}",
  async function (this: SwarmWorld, seconds: number, service: string, replicas: number, lost: StartedSwarmNode) {
    await recovery(this, `${service} back to ${replicas} running tasks off ${lost.name}`, async () => {
      await eventually(`${replicas} running tasks of ${service}, none on ${lost.name}`, async () => {
        const running = (await desiredTasks(this.cluster, service)).filter((t) => t.currentState.startsWith("Running"));
        expect({ running: running.length, onLostNode: running.filter((t) => t.node === lost.name).map((t) => t.name) }).toEqual({ running: replicas, onLostNode: [] });
      }, { timeoutMs: seconds * 1000, intervalMs: 500 });
    });
  },
);

Then("within {int} s, service {service} is back to {int} running task(s)", async function (this: SwarmWorld, seconds: number, service: string, replicas: number) {
  await recovery(this, `${service} back to ${replicas} running tasks`, async () => {
    await eventually(`${replicas} running tasks of ${service}`, async () => {
      const running = (await desiredTasks(this.cluster, service)).filter((t) => t.currentState.startsWith("Running"));
      expect({ running: running.length }).toEqual({ running: replicas });
    }, { timeoutMs: seconds * 1000, intervalMs: 500 });
  });
});

Then("within {int} s, a manager other than {node} is the Leader", async function (this: SwarmWorld, seconds: number, old: StartedSwarmNode) {
  await recovery(this, "a new leader elected", async () => {
    const list = await pollUntil(
      `a Leader other than ${old.name}`,
      () => this.cluster.nodeList(),
      (l) => l.some((n) => n.ManagerStatus === "Leader" && n.Hostname !== old.name),
      { timeoutMs: seconds * 1000, intervalMs: 500 },
    );
    this.log(`new leader: ${list.find((n) => n.ManagerStatus === "Leader")?.Hostname}`);
  });
});

Then("within {int} s, no other node lists {node} among the Peers of network {network}", async function (this: SwarmWorld, seconds: number, gone: StartedSwarmNode, network: string) {
  await recovery(this, `${gone.name} gone from the Peers of ${network}`, async () => {
    await eventually(`${gone.name} to leave the Peers of ${network}`, async () => {
      const others = this.cluster.liveNodes.filter((n) => n !== gone);
      const peers = await Promise.all(
        others.map(async (n) => {
          const view = await n.docker(["network", "inspect", "--format", "{{range .Peers}}{{.IP}} {{end}}", network]);
          return [n.name, view.exitCode === 0 ? view.stdout.trim().split(/\s+/).filter(Boolean) : []] as const;
        }),
      );
      expect(Object.fromEntries(peers.map(([n, ips]) => [n, ips.includes(gone.address)]))).toEqual(Object.fromEntries(peers.map(([n]) => [n, false])));
    }, { timeoutMs: seconds * 1000, intervalMs: 500 });
  });
});

/** How long the client keeps watching after the drain has converged. */
const AFTER_CONVERGENCE_MS = 3000;

When(
  "{node} is drained while a client on {node} keeps requesting {string} over HTTP",
  async function (this: SwarmWorld, drained: StartedSwarmNode, clientNode: StartedSwarmNode, host: string) {
    const service = host.replace(/^tasks\./, "");
    const watch = await watchHttp(clientNode, service, host);
    try {
      await this.manager.dockerOk(["node", "update", "--availability", "drain", drained.name]);
      this.acted(`${drained.name} drained`);
      // Until the moved tasks run elsewhere, then a little longer: the client must see the new tasks answer too.
      const before = (await desiredTasks(this.cluster, service)).length;
      await pollUntil(
        `${before} running tasks of ${service}, none on ${drained.name}`,
        () => desiredTasks(this.cluster, service),
        (tasks) => tasks.length === before && tasks.every((t) => t.node !== drained.name && t.currentState.startsWith("Running")),
        { timeoutMs: 60_000, intervalMs: 500 },
      );
      await watch.observeFor(AFTER_CONVERGENCE_MS);
    } finally {
      this.httpWatch = await watch.stop();
    }
    this.log(`HTTP to ${host} from ${clientNode.name} during the drain: ${this.httpWatch.answered} answered, ${this.httpWatch.failed} failed`);
  },
);

Then("every request of the client was answered", function (this: SwarmWorld) {
  if (!this.httpWatch) throw new Error('No client was watching: use "When <node> is drained while a client on <node> keeps requesting ..." first.');
  expect({ failed: this.httpWatch.failed, answeredAtLeast: this.httpWatch.answered >= 5 }).toEqual({ failed: 0, answeredAtLeast: true });
});
