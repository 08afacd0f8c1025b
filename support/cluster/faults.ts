// Faults injected into a running cluster, each with the way to lift it. From outside
// the node: turn it off cleanly or cut its power, pull its cable from the lab network.
// From inside a node: netfilter rules in a chain of swarmnet's own, so that lifting
// a cut is one flush. A cluster that had a fault is never handed to another scenario.
import { PORTS } from "../run/limits.js";
import type { StartedSwarmCluster } from "./swarm-cluster.js";
import type { StartedSwarmNode } from "./swarm-node.js";

export type Cut = "all" | "control-plane" | "data-plane";

export const CUTS: readonly Cut[] = ["all", "control-plane", "data-plane"];

export interface InjectedFault {
  description: string;
  /** Undoes the fault where that is possible (a stopped node stays stopped). */
  lift(): Promise<void>;
}

const FAULT_CHAIN = "SWARMNET-FAULT";
/** Swarm's control plane: cluster management (2377/tcp) and gossip (7946/tcp+udp). */
const CONTROL_PLANE = [`tcp ${PORTS.swarmManagement}`, `tcp ${PORTS.gossip}`, `udp ${PORTS.gossip}`];

/** Faults in force in one scenario; lifted in reverse order at its end. */
export class FaultLedger {
  private readonly active: InjectedFault[] = [];

  async inject(cluster: StartedSwarmCluster, fault: () => Promise<InjectedFault>): Promise<InjectedFault> {
    const injected = await fault();
    cluster.markDamaged(injected.description);
    this.active.push(injected);
    return injected;
  }

  get descriptions(): string[] {
    return this.active.map((f) => f.description);
  }

  /** Lifts every fault, last first; reports (does not throw) the ones that failed. */
  async liftAll(): Promise<string[]> {
    const failures: string[] = [];
    for (const fault of this.active.splice(0).reverse()) {
      await fault.lift().catch((error: unknown) => failures.push(`${fault.description}: ${String(error)}`));
    }
    return failures;
  }
}

export function stopNode(
  cluster: StartedSwarmCluster,
  node: StartedSwarmNode,
  how: "stop" | "kill",
): () => Promise<InjectedFault> {
  return async () => {
    await node.powerOff(how === "stop" ? "clean" : "cut");
    cluster.markLost(node.name);
    // It stays down: a scenario that boots it again says so (cluster.bootAgain).
    return { description: `${node.name} ${how === "stop" ? "stopped" : "killed"}`, lift: async () => {} };
  };
}

export function unplugNode(node: StartedSwarmNode): () => Promise<InjectedFault> {
  return async () => {
    await node.setPlugged(false);
    return {
      description: `${node.name} unplugged from the lab network`,
      lift: () => node.setPlugged(true),
    };
  };
}

/**
 * Flushes every rule of the node's filter and nat tables, Docker's among them, as a
 * firewall restart that loads rules of its own does. Nothing puts them back (only a
 * daemon restart, or firewalld's reload signal, which these nodes lack).
 */
export function flushFirewall(node: StartedSwarmNode): () => Promise<InjectedFault> {
  return async () => {
    await node.runOk(["iptables", "-t", "nat", "-F"]);
    await node.runOk(["iptables", "-t", "filter", "-F"]);
    return { description: `${node.name}'s iptables rules flushed (filter and nat tables)`, lift: async () => {} };
  };
}

/** The ports a cut drops: control plane, or the swarm's VXLAN port (4789 unless init said otherwise). */
async function cutRules(cluster: StartedSwarmCluster, cut: Exclude<Cut, "all">): Promise<string[]> {
  if (cut === "control-plane") return CONTROL_PLANE;
  return [`udp ${await cluster.dataPathPort()}`];
}

export function cutNode(cluster: StartedSwarmCluster, node: StartedSwarmNode, cut: Cut): () => Promise<InjectedFault> {
  if (cut === "all") return unplugNode(node);
  return async () => {
    const rules = await cutRules(cluster, cut);
    const drops = rules.flatMap((rule) => {
      const [proto, port] = rule.split(" ");
      return [`--dport ${port}`, `--sport ${port}`].map((match) => `-p ${proto} ${match} -j DROP`);
    });
    await node.shOk(faultRules(drops));
    return {
      description: `${node.name}: ${cut} traffic dropped (${rules.join(", ")})`,
      lift: async () => {
        await node.shOk(`iptables -F ${FAULT_CHAIN}`);
      },
    };
  };
}

/** The node's fault chain, hooked into INPUT and OUTPUT, with these rules added. */
function faultRules(rules: string[]): string {
  return [
    `iptables -N ${FAULT_CHAIN} 2>/dev/null || true`,
    `iptables -C INPUT -j ${FAULT_CHAIN} 2>/dev/null || iptables -I INPUT -j ${FAULT_CHAIN}`,
    `iptables -C OUTPUT -j ${FAULT_CHAIN} 2>/dev/null || iptables -I OUTPUT -j ${FAULT_CHAIN}`,
    ...rules.map((rule) => `iptables -A ${FAULT_CHAIN} ${rule}`),
  ].join(" && ");
}

/**
 * Splits the lab network in two: each node drops everything to and from the other
 * side's lab addresses (control plane, gossip and VXLAN alike), while each side still
 * talks within itself, as a failed switch between two racks would.
 */
export function partition(sides: [StartedSwarmNode[], StartedSwarmNode[]]): () => Promise<InjectedFault> {
  const [a, b] = sides;
  const overlap = a.filter((n) => b.includes(n)).map((n) => n.name);
  if (overlap.length > 0) throw new Error(`A node cannot be on both sides of a partition: ${overlap.join(", ")}.`);
  if (a.length === 0 || b.length === 0) throw new Error("A partition needs a node on each side.");
  const names = (side: StartedSwarmNode[]) => side.map((n) => n.name).join(", ");
  return async () => {
    const cut = async (node: StartedSwarmNode, others: StartedSwarmNode[]) =>
      node.shOk(faultRules(others.flatMap((o) => [`-s ${o.address} -j DROP`, `-d ${o.address} -j DROP`])));
    const done: StartedSwarmNode[] = [];
    const lift = async () => {
      await Promise.all(done.map((node) => node.shOk(`iptables -F ${FAULT_CHAIN}`)));
    };
    try {
      for (const node of a) await cut(node, b).then(() => done.push(node));
      for (const node of b) await cut(node, a).then(() => done.push(node));
    } catch (error) {
      await lift();
      throw error;
    }
    return { description: `the lab network split: ${names(a)} | ${names(b)}`, lift };
  };
}
