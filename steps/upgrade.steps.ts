// In-place upgrades: a node, or the whole swarm one node at a time, restarted on
// another engine with its state kept; what the swarm had before is recorded and
// compared after.
import { Given, Then, When } from "@cucumber/cucumber";
import { expect } from "expect";
import type { InPlaceUpgrade } from "../support/cluster/swarm-cluster.js";
import type { StartedSwarmNode } from "../support/cluster/swarm-node.js";
import {
  brokenBounds,
  failedPercent,
  HttpWatchFleet,
  describeClient,
  describeFailureReasons,
  type HttpWatchResult,
  type WatchBounds,
} from "../support/probes/http-watch.js";
import type { EngineLine } from "../support/run/engines.js";
import type { KernelLine } from "../support/run/kernels.js";
import { findEngine } from "../support/run/engines.js";
import { formatSeconds } from "../support/run/log.js";
import { PORTS, STEP_TIMEOUT_MS } from "../support/run/limits.js";
import { scaledTimeout } from "../support/run/poll.js";
import { getHarness } from "../support/host/harness.js";
import { networkChanges, recordSwarm, virtualIpChanges } from "../support/swarm/swarm-record.js";
import { rollingUpgrade } from "../support/swarm/upgrade.js";
import { compareVersions } from "../support/text/engine-version.js";
import type { SwarmWorld } from "./world.js";

Given("the swarm's dispatcher heartbeat is {int} s", async function (this: SwarmWorld, seconds: number) {
  this.acted(`dispatcher heartbeat ${seconds} s`);
  await this.swarm.setDispatcherHeartbeat(seconds);
});

function describeUpgrade(u: InPlaceUpgrade): string {
  const leader = u.leaderWhileDown ? `; leader while down: ${u.leaderWhileDown}` : "";
  const kinds = u.kinds.from === u.kinds.to ? "" : `; node ${u.kinds.from} → ${u.kinds.to}`;
  const held = u.restartedWhileDown
    ? "; DOCKER HELD IT DOWN after its daemon registered: the daemon was restarted once (docs/known-issues.md)"
    : "";
  return (
    `${u.node.name}: ${u.from} → ${u.to}, daemon down ${formatSeconds(u.daemonDownMs)}, ` +
    `Ready ${formatSeconds(u.readyAfterMs)} after${leader}${kinds}${held}`
  );
}

/** "upgraded" to an older engine (or "downgraded" to a newer one) is a misused step: say so. */
function checkDirection(u: InPlaceUpgrade, said: "upgraded" | "downgraded"): void {
  const order = compareVersions(u.to, u.from);
  if ((said === "upgraded" && order < 0) || (said === "downgraded" && order > 0)) {
    throw new Error(
      `The step says ${u.node.name} is ${said}, but it went from ${u.from} to ${u.to}: ` +
        `write "${said === "upgraded" ? "downgraded" : "upgraded"}".`,
    );
  }
}

function recordUpgrade(world: SwarmWorld, upgrade: InPlaceUpgrade, gossipMs?: number): void {
  world.upgrades.push(upgrade);
  world.observe({
    kind: "upgrade",
    node: upgrade.node.name,
    from: upgrade.from,
    to: upgrade.to,
    downSeconds: upgrade.daemonDownMs / 1000,
    readySeconds: upgrade.readyAfterMs / 1000,
    restartedWhileDown: upgrade.restartedWhileDown,
  });
  const gossip = gossipMs === undefined ? "" : `; gossip converged ${formatSeconds(gossipMs)} after`;
  world.log(describeUpgrade(upgrade) + gossip);
}

async function inPlace(
  world: SwarmWorld,
  node: StartedSwarmNode,
  engine: EngineLine,
  said: "upgraded" | "downgraded",
): Promise<void> {
  world.acted(`${node.name} ${said} in place`);
  const upgrade = await world.cluster.upgradeInPlace(node.name, { engine: engine.name });
  recordUpgrade(world, upgrade);
  checkDirection(upgrade, said);
}

When(
  "{node} is upgraded in place to engine {engine}",
  async function (this: SwarmWorld, node: StartedSwarmNode, engine: EngineLine) {
    await inPlace(this, node, engine, "upgraded");
  },
);

When(
  "{node} is downgraded in place to engine {engine}",
  async function (this: SwarmWorld, node: StartedSwarmNode, engine: EngineLine) {
    await inPlace(this, node, engine, "downgraded");
  },
);

async function upgradeSwarm(
  world: SwarmWorld,
  to: { engine?: string; kernel?: string },
  drain: boolean,
): Promise<void> {
  world.acted(`rolling in-place upgrade to ${to.engine ? `engine ${to.engine}` : `kernel ${to.kernel}`}`);
  const fleet = world.memory.has("watching clients") ? world.memory.recall("watching clients") : undefined;
  const timeline: string[] = [];
  const began = Date.now();
  try {
    await rollingUpgrade(world.swarm, {
      to,
      drain,
      around: fleet && { before: (node) => fleet.stopOn(node), after: (node) => fleet.startOn(node) },
      onUpgraded: (upgrade, gossipMs) => {
        recordUpgrade(world, upgrade, gossipMs);
        if (to.engine) checkDirection(upgrade, "upgraded");
      },
      onPhase: (node, phase) => timeline.push(`${new Date().toISOString()} ${node}: ${phase}`),
    });
  } finally {
    world.log(`rolling upgrade, as it went:\n${timeline.join("\n")}`);
    await logNodeStates(world, began);
  }
}

/** A node marked Down had its tasks started elsewhere: what a client's outage may come from. */
async function logNodeStates(world: SwarmWorld, since: number): Promise<void> {
  try {
    const changes = await world.swarm.nodeStateChanges(since);
    const lines = changes.map((c) => `${c.at} ${c.node}: ${c.from} → ${c.to}`);
    world.log(`node states, from ${world.swarm.manager.name}'s event log:\n${lines.join("\n") || "(no change)"}`);
  } catch (error) {
    world.log(`node states: could not read ${world.swarm.manager.name}'s event log: ${String(error)}`);
  }
}

When(
  "the swarm is upgraded in place to engine {engine}, one node at a time, managers first",
  { timeout: scaledTimeout(STEP_TIMEOUT_MS.rollingUpgrade) },
  async function (this: SwarmWorld, engine: EngineLine) {
    await upgradeSwarm(this, { engine: engine.name }, true);
  },
);

When(
  "the swarm is upgraded in place to engine {engine}, one node at a time, managers first, without draining",
  { timeout: scaledTimeout(STEP_TIMEOUT_MS.rollingUpgrade) },
  async function (this: SwarmWorld, engine: EngineLine) {
    await upgradeSwarm(this, { engine: engine.name }, false);
  },
);

When(
  "{node} is rebooted into kernel {kernel}",
  { timeout: scaledTimeout(STEP_TIMEOUT_MS.rollingUpgrade) },
  async function (this: SwarmWorld, node: StartedSwarmNode, kernel: KernelLine) {
    this.acted(`${node.name} rebooted into kernel ${kernel.name}`);
    recordUpgrade(this, await this.cluster.upgradeInPlace(node.name, { kernel: kernel.name }));
  },
);

Then(
  "rebooting {node} into kernel {kernel} fails, saying {string}",
  { timeout: scaledTimeout(STEP_TIMEOUT_MS.rollingUpgrade) },
  async function (this: SwarmWorld, node: StartedSwarmNode, kernel: KernelLine, saying: string) {
    this.acted(`${node.name} rebooted into kernel ${kernel.name}`);
    const before = node.kind;
    const outcome = await this.cluster.upgradeInPlace(node.name, { kernel: kernel.name }).then(
      (upgrade) => `it came up: ${describeUpgrade(upgrade)}`,
      (error: unknown) => String(error),
    );
    this.log(`${node.name} (${before}) rebooted into kernel ${kernel.name}: ${outcome.slice(0, 4000)}`);
    expect(outcome).toContain(saying);
  },
);

When(
  "the swarm is rebooted into kernel {kernel}, one node at a time, managers first",
  { timeout: scaledTimeout(STEP_TIMEOUT_MS.rollingUpgrade) },
  async function (this: SwarmWorld, kernel: KernelLine) {
    await upgradeSwarm(this, { kernel: kernel.name }, true);
  },
);

async function startClients(world: SwarmWorld, nodes: readonly StartedSwarmNode[], host: string, network: string) {
  world.networksSeen.add(network);
  const fleet = new HttpWatchFleet((node) => ({ label: `client on ${node.name} (${network})`, node, network }), {
    host,
    port: PORTS.http,
  });
  world.memory.remember("watching clients", fleet);
  for (const node of nodes) await fleet.startOn(node);
}

Given(
  "a client on every node keeps requesting {string} over HTTP from network {network}",
  async function (this: SwarmWorld, host: string, network: string) {
    await startClients(this, this.cluster.nodes, host, network);
  },
);

Given(
  "a client on {node} keeps requesting {string} over HTTP from network {network}",
  async function (this: SwarmWorld, node: StartedSwarmNode, host: string, network: string) {
    await startClients(this, [node], host, network);
  },
);

/** Fewer answers than this per client and the clients did not watch long enough to prove anything. */
const MIN_ANSWERS_PER_CLIENT = 5;

/** The clients' counts: the first claim about them stops them, later claims read the same counts. */
async function clientCounts(world: SwarmWorld): Promise<HttpWatchResult & { clients: number }> {
  if (world.clientCounts) return world.clientCounts;
  const fleet = world.memory.take("watching clients");
  const seen = await fleet.stopAll();
  world.clientCounts = seen;
  world.observe({ kind: "timing", what: "the clients' longest outage", seconds: seen.longestOutageMs / 1000 });
  world.log(
    `${seen.clients} client(s): ${seen.answered} answered, ${seen.failed} failed ` +
      `(${failedPercent(seen).toFixed(1)} %, at most ${seen.longestFailureRun} in a row), ` +
      `longest outage ${formatSeconds(seen.longestOutageMs)}` +
      (seen.longestOutageFrom ? ` from ${seen.longestOutageFrom}` : "") +
      (seen.failed > 0 ? `; failures: ${describeFailureReasons(seen.failureReasons)}` : ""),
  );
  world.log(`each client:\n${fleet.finished.map(({ label, result }) => describeClient(label, result)).join("\n")}`);
  if (fleet.retried.length > 0) world.log(`client starts tried again:\n${fleet.retried.join("\n")}`);
  return seen;
}

async function clientsKept(world: SwarmWorld, bounds: Omit<WatchBounds, "minAnswersPerClient">): Promise<void> {
  const broken = brokenBounds(await clientCounts(world), { ...bounds, minAnswersPerClient: MIN_ANSWERS_PER_CLIENT });
  expect(broken).toEqual([]);
}

Then("the clients' longest outage was under {int} s", async function (this: SwarmWorld, seconds: number) {
  await clientsKept(this, { outageUnderMs: seconds * 1000 });
});

Then("at most {int} % of the clients' requests failed", async function (this: SwarmWorld, percent: number) {
  await clientsKept(this, { maxFailedPercent: percent });
});

When("I record the swarm's networks, virtual IPs and task addresses", async function (this: SwarmWorld) {
  const r = await recordSwarm(this.swarm);
  this.memory.remember("swarm record", r);
  this.log(
    `recorded ${Object.keys(r.networks).length} swarm networks (${Object.keys(r.networks).join(", ")}), ` +
      `${Object.keys(r.virtualIps).length} services' VIPs, ${Object.keys(r.taskAddresses).length} tasks' addresses`,
  );
});

/** The report (and the matrix's upgrade table) says what changed, before the step asserts. */
function logChanges(world: SwarmWorld, what: string, changes: string[]): void {
  world.observe({ kind: "comparison", what, changes });
  world.log(changes.length === 0 ? `${what}: unchanged` : `${what}: changed\n${changes.join("\n")}`);
}

Then("every recorded network is unchanged on every node that has it", async function (this: SwarmWorld) {
  const before = this.memory.recall("swarm record");
  const changes = await networkChanges(this.swarm, before);
  logChanges(
    this,
    `${Object.keys(before.networks).length} networks on ${this.cluster.liveNodes.length} nodes`,
    changes,
  );
  expect(changes).toEqual([]);
});

Then("every service kept its recorded virtual IPs", async function (this: SwarmWorld) {
  const before = this.memory.recall("swarm record");
  const changes = virtualIpChanges(before, await recordSwarm(this.swarm));
  logChanges(this, `virtual IPs of ${Object.keys(before.virtualIps).length} services`, changes);
  expect(changes).toEqual([]);
});

Then(
  "every node runs engine {engine}, and `docker node ls` says so",
  async function (this: SwarmWorld, engine: EngineLine) {
    const { engines } = await getHarness();
    const list = await this.cluster.nodeList();
    const seen = await Promise.all(
      this.cluster.nodes.map(async (n) => {
        const daemon = await n.engineVersion();
        const listed = list.find((e) => e.Hostname === n.name)?.EngineVersion ?? "(not listed)";
        return { node: n.name, line: findEngine(engines, daemon).name, daemon, listed };
      }),
    );
    this.log(seen.map((s) => `${s.node} ${s.daemon}`).join("; "));
    expect(seen).toEqual(seen.map((s) => ({ ...s, line: engine.name, listed: s.daemon })));
  },
);

Then("while each manager was down, another manager reported a Leader", function (this: SwarmWorld) {
  const managers = this.upgrades.filter((u) => u.node.role === "manager");
  if (managers.length === 0) throw new Error("No manager was upgraded in this scenario.");
  expect(
    managers.map((u) => ({
      node: u.node.name,
      leaderElsewhere: u.leaderWhileDown !== undefined && u.leaderWhileDown !== u.node.name,
    })),
  ).toEqual(managers.map((u) => ({ node: u.node.name, leaderElsewhere: true })));
});
