// What an upgrade must keep: every swarm network's identity and addressing, every
// service's virtual IPs, every task's addresses. Recorded before, compared after;
// the comparison lists each difference, so a failure says what changed where.
import { perNode } from "../cluster/per-node.js";
import { stripPrefix } from "../text/ipv4.js";
import { endpointsOf, findNetworkOn, networkViews, type NetworkInspect } from "./network-view.js";
import type { Swarm } from "./swarm.js";

/** The fields of a network that must survive an upgrade, as text. */
export type NetworkFacts = Record<string, string>;

export interface SwarmRecord {
  /** By network name: the facts as the primary manager reports them. */
  networks: Record<string, NetworkFacts>;
  /** By service name: its virtual IPs, "<network id> <address>". */
  virtualIps: Record<string, string[]>;
  /** By task container name (it carries the task id): its addresses, "<network> <address>". */
  taskAddresses: Record<string, string[]>;
}

export function networkFacts(view: NetworkInspect): NetworkFacts {
  const ipam = (view.IPAM.Config ?? [])[0] as { Subnet?: string; Gateway?: string; IPRange?: string } | undefined;
  return {
    Id: view.Id,
    Driver: view.Driver,
    Subnet: ipam?.Subnet ?? "",
    Gateway: ipam?.Gateway ?? "",
    IPRange: ipam?.IPRange ?? "",
    "VXLAN id": view.Options?.["com.docker.network.driver.overlay.vxlanid_list"] ?? "",
    encrypted: String(view.Options?.encrypted !== undefined),
    Internal: String(view.Internal === true),
    Attachable: String(view.Attachable === true),
    Ingress: String(view.Ingress === true),
  };
}

async function swarmNetworkNames(swarm: Swarm): Promise<string[]> {
  return swarm.manager.dockerLines(["network", "ls", "--filter", "scope=swarm", "--format", "{{.Name}}"]);
}

export async function recordSwarm(swarm: Swarm): Promise<SwarmRecord> {
  const names = await swarmNetworkNames(swarm);
  const networks: Record<string, NetworkFacts> = {};
  const taskAddresses: Record<string, string[]> = {};
  for (const name of names) {
    networks[name] = networkFacts(await swarm.network(name));
    for (const endpoint of endpointsOf(await networkViews(swarm.cluster, name))) {
      // Tasks only: lb endpoints and ingress-sbox are the node's, not a task's.
      if (!/\.[a-z0-9]{25}$/.test(endpoint.name)) continue;
      (taskAddresses[endpoint.name] ??= []).push(`${name} ${endpoint.address}`);
    }
  }
  const services = await swarm.manager.dockerLines(["service", "ls", "--format", "{{.Name}}"]);
  const virtualIps: Record<string, string[]> = {};
  for (const service of services) {
    const inspected = await swarm.inspectService(service);
    virtualIps[service] = (inspected.Endpoint.VirtualIPs ?? [])
      .map((v) => `${v.NetworkID} ${stripPrefix(v.Addr)}`)
      .sort();
  }
  for (const list of Object.values(taskAddresses)) list.sort();
  return { networks, virtualIps, taskAddresses };
}

function factDifferences(where: string, before: NetworkFacts, after: NetworkFacts): string[] {
  return Object.keys(before).flatMap((field) =>
    before[field] === after[field]
      ? []
      : [`${where}: ${field} was ${before[field] || "(none)"}, is ${after[field] || "(none)"}`],
  );
}

/**
 * Every recorded network, on the primary manager and on every node that has it now:
 * same facts. A network gone from the manager is a difference too.
 */
export async function networkChanges(swarm: Swarm, before: SwarmRecord): Promise<string[]> {
  const differences: string[] = [];
  for (const [name, facts] of Object.entries(before.networks)) {
    const views = await perNode(swarm.cluster.liveNodes, (node) => findNetworkOn(node, name));
    const onManager = views[swarm.manager.name];
    if (!onManager) differences.push(`${name}: gone from ${swarm.manager.name}`);
    for (const [node, view] of Object.entries(views)) {
      if (view) differences.push(...factDifferences(`${name} on ${node}`, facts, networkFacts(view)));
    }
  }
  return differences;
}

export function virtualIpChanges(before: SwarmRecord, after: SwarmRecord): string[] {
  return Object.entries(before.virtualIps).flatMap(([service, vips]) => {
    const now = after.virtualIps[service];
    if (!now) return [`service ${service}: gone`];
    return vips.join(", ") === now.join(", ")
      ? []
      : [`service ${service}: VIPs were ${vips.join(", ")}, are ${now.join(", ")}`];
  });
}
