// A rolling in-place upgrade, the way Docker's documentation says to do it: one
// node at a time, managers first; each node drained (its tasks move), upgraded in
// place, then made active again. Without draining, a node's tasks stop with its
// daemon and the swarm reschedules them. Before the next node, the upgrade waits
// until the nodes' gossip has converged again (Peers agree on every overlay, also
// after a watching client joined its network on the node again): a
// sole manager restarted in place is found by the workers only on their periodic
// rejoin (libnetwork networkdb, every 60 s), and until then the overlay carries
// nothing to or from its tasks (docs/known-issues.md).
import { performance } from "node:perf_hooks";
import { perNode } from "../cluster/per-node.js";
import type { InPlaceUpgrade } from "../cluster/swarm-cluster.js";
import type { StartedSwarmNode } from "../cluster/swarm-node.js";
import { DEADLINE_MS, INTERVAL_MS } from "../run/limits.js";
import { pollUntil } from "../run/poll.js";
import { findNetworkOn } from "./network-view.js";
import { isRunning, type ServiceTask } from "./services.js";
import type { Swarm } from "./swarm.js";

export interface RollingUpgradePlan {
  /** What every node starts again on: another engine, another (UML) kernel, or both. */
  to: { engine?: string; kernel?: string };
  drain: boolean;
  /** Runs just before a node goes down and just after it is back (e.g. to move a watching client). */
  around?: {
    before(node: StartedSwarmNode): Promise<void>;
    after(node: StartedSwarmNode): Promise<void>;
  };
  /** Called with each node's upgrade as it completes, and how long the gossip took to converge after it. */
  onUpgraded?(upgrade: InPlaceUpgrade, gossipMs: number): void;
  /** Called as each step of a node's upgrade begins, to set what clients saw beside when it happened. */
  onPhase?(node: string, phase: string): void;
}

/** Managers first (in their order), then workers. */
export function upgradeOrder(nodes: readonly StartedSwarmNode[]): string[] {
  return [...nodes.filter((n) => n.role === "manager"), ...nodes.filter((n) => n.role === "worker")].map((n) => n.name);
}

/** The overlay networks of the swarm, by name. */
function overlayNames(swarm: Swarm): Promise<string[]> {
  return swarm.manager.dockerLines(["network", "ls", "--filter", "driver=overlay", "--format", "{{.Name}}"]);
}

/** A node's load balancer view of an overlay (`docker network inspect --verbose`): each service's backends. */
interface VerboseNetwork {
  Services?: Record<string, { Tasks?: { Name: string; Info?: Record<string, string> }[] }> | null;
}

/**
 * What still ties the drained `node` to its old tasks: a task container left on it, or
 * another node whose load balancer still lists a backend on it. A node taken down
 * before these are gone takes its stopping tasks' backends down with it, and the
 * other nodes' VIPs send requests there until they hear it left.
 */
async function drainLeftovers(swarm: Swarm, node: StartedSwarmNode, overlays: string[]): Promise<string[]> {
  const left = (await node.dockerLines(["ps", "-q", "--filter", "label=com.docker.swarm.task"])).map(
    (id) => `task container ${id.slice(0, 12)} still on ${node.name}`,
  );
  const others = swarm.cluster.liveNodes.filter((n) => n.name !== node.name);
  for (const other of others) {
    for (const network of overlays) {
      const result = await other.docker(["network", "inspect", "--verbose", network]);
      // A node without the network has no load balancer for it.
      if (result.exitCode !== 0) continue;
      const [view] = JSON.parse(result.stdout) as VerboseNetwork[];
      // Under "" are endpoints of no service (containers, the ingress sandbox): not backends.
      for (const [service, { Tasks = [] }] of Object.entries(view.Services ?? {}).filter(([name]) => name !== ""))
        for (const task of Tasks)
          if (task.Info?.["Host IP"] === node.address)
            left.push(
              `${other.name}'s ${network} load balancer still lists ${task.Name} of ${service} on ${node.name}`,
            );
    }
  }
  return left;
}

/**
 * Drains `node` and waits until every service's tasks run elsewhere, and its old tasks
 * are gone: from the node, and from every other node's load balancer (drainLeftovers).
 */
export async function drainNode(swarm: Swarm, node: StartedSwarmNode, phase?: (what: string) => void): Promise<void> {
  await swarm.setAvailability(node, "drain");
  const services = await swarm.manager.dockerLines(["service", "ls", "--format", "{{.Name}}"]);
  await pollUntil(
    `every task of ${services.join(", ") || "(no service)"} running, none on drained ${node.name}`,
    async () => Object.fromEntries(await Promise.all(services.map(async (s) => [s, await swarm.desiredTasks(s)]))),
    (seen: Record<string, ServiceTask[]>) =>
      Object.values(seen).every((tasks) => tasks.every((t) => t.node !== node.name && isRunning(t))),
    { timeoutMs: DEADLINE_MS.placement, intervalMs: INTERVAL_MS.probe },
  );
  phase?.("tasks moved; waiting for its old tasks to leave it and every load balancer");
  const overlays = await overlayNames(swarm);
  await pollUntil(
    `drained ${node.name}'s old tasks gone from it and from every load balancer`,
    () => drainLeftovers(swarm, node, overlays),
    (left) => left.length === 0,
    { timeoutMs: DEADLINE_MS.placement, intervalMs: INTERVAL_MS.probe },
  );
}

/**
 * Where the nodes' gossip disagrees: for every overlay, each node with endpoints on
 * it should list exactly the nodes with endpoints on it among its Peers. Ingress (on every node unless
 * it was re-created) catches a node nobody has rejoined yet.
 */
async function gossipDisagreements(swarm: Swarm, overlays: string[]): Promise<string[]> {
  const nodes = swarm.cluster.liveNodes;
  const disagreements: string[] = [];
  for (const network of overlays) {
    const views = await perNode(nodes, (n) => findNetworkOn(n, network));
    // A node takes part in a network's gossip while it has endpoints on it; a network
    // left on a node without any (a drained node's) is not joined and has no Peers.
    const having = nodes.filter((n) => Object.keys(views[n.name]?.Containers ?? {}).length > 0);
    const expected = having
      .map((n) => n.address)
      .sort()
      .join(", ");
    for (const node of having) {
      const peers = (views[node.name]?.Peers ?? [])
        .map((p) => p.IP)
        .sort()
        .join(", ");
      if (peers !== expected)
        disagreements.push(`${network} on ${node.name}: Peers ${peers || "(none)"}, expected ${expected}`);
    }
  }
  return disagreements;
}

/** Waits until the nodes' gossip agrees (see gossipDisagreements); returns how long that took. */
export async function waitForGossip(swarm: Swarm): Promise<number> {
  const started = performance.now();
  const overlays = await overlayNames(swarm);
  await pollUntil(
    "every node that has an overlay to list exactly the nodes that have it among its Peers",
    () => gossipDisagreements(swarm, overlays),
    (disagreements) => disagreements.length === 0,
    { timeoutMs: DEADLINE_MS.gossip, intervalMs: INTERVAL_MS.probe },
  );
  return performance.now() - started;
}

export async function rollingUpgrade(swarm: Swarm, plan: RollingUpgradePlan): Promise<InPlaceUpgrade[]> {
  const done: InPlaceUpgrade[] = [];
  for (const name of upgradeOrder(swarm.cluster.nodes)) {
    const node = swarm.cluster.node(name);
    const phase = (what: string) => plan.onPhase?.(name, what);
    if (plan.drain) {
      phase("draining");
      await drainNode(swarm, node, phase);
    }
    phase("stopping its client");
    await plan.around?.before(node);
    phase("going down");
    const upgrade = await swarm.cluster.upgradeInPlace(name, plan.to);
    phase("back");
    if (plan.drain) await swarm.setAvailability(upgrade.node, "active");
    phase("waiting for gossip");
    const gossipMs = await waitForGossip(swarm);
    if (plan.around) {
      phase("gossip agrees; starting its client");
      await plan.around.after(upgrade.node);
      // The client joined its network on the node: the node takes part in that
      // network's gossip only now, and tasks drained off the next node may land here.
      phase("client started; waiting for gossip again");
      await waitForGossip(swarm);
    }
    phase("ready for the next node");
    plan.onUpgraded?.(upgrade, gossipMs);
    done.push(upgrade);
  }
  return done;
}
