// Things traffic goes from and to, by the names scenarios use: a service's tasks
// ("my-web.1") and standalone containers the scenario started ("outsider").
import type { StartedSwarmCluster } from "./swarm-cluster.js";
import type { StartedSwarmNode } from "./swarm-node.js";
import { desiredTasks } from "./service-tasks.js";
import type { TrafficSource } from "./traffic.js";

export interface Endpoint extends TrafficSource {
  /** Addresses by network name, ingress left out (it only carries the routing mesh). */
  addresses: Map<string, string>;
}

interface ContainerInspect {
  Id: string;
  NetworkSettings: { Networks: Record<string, { IPAddress: string }> };
}

async function inspectContainer(node: StartedSwarmNode, container: string): Promise<ContainerInspect> {
  const { stdout } = await node.dockerOk(["container", "inspect", container]);
  return (JSON.parse(stdout) as ContainerInspect[])[0];
}

async function endpointOf(label: string, node: StartedSwarmNode, container: string): Promise<Endpoint> {
  const inspected = await inspectContainer(node, container);
  // On the host network a container answers on its node's own address.
  const addresses = new Map(
    Object.entries(inspected.NetworkSettings.Networks)
      .map(([network, settings]) => [network, network === "host" ? node.address : settings.IPAddress] as const)
      .filter(([network, address]) => network !== "ingress" && address !== ""),
  );
  return { label, node, container: inspected.Id, addresses };
}

/** The running tasks of a service, labelled by slot (my-web.1, my-web.2, ...). */
export async function taskEndpoints(cluster: StartedSwarmCluster, service: string): Promise<Endpoint[]> {
  const tasks = (await desiredTasks(cluster, service)).filter((t) => t.currentState.startsWith("Running"));
  if (tasks.length === 0) throw new Error(`Service ${service} has no running task.`);
  const endpoints = await Promise.all(tasks.map((t) => endpointOf(t.name, cluster.node(t.node), t.containerName)));
  return endpoints.sort((a, b) => a.label.localeCompare(b.label, "en", { numeric: true }));
}

/**
 * The task of `service` running on `node`, as that node's own daemon sees it: works
 * when the managers cannot answer (quorum lost). "my-web@worker1".
 */
export async function localTaskEndpoint(node: StartedSwarmNode, service: string): Promise<Endpoint> {
  const { stdout } = await node.dockerOk(["ps", "--filter", `label=com.docker.swarm.service.name=${service}`, "--format", "{{.Names}}"]);
  const names = stdout.split("\n").filter(Boolean);
  if (names.length !== 1) throw new Error(`${service}@${node.name}: expected one running task of ${service} on ${node.name}, found ${names.length} (${names.join(", ") || "none"}).`);
  return endpointOf(`${service}@${node.name}`, node, names[0]);
}

/** A standalone container the scenario started on `node`. */
export function containerEndpoint(node: StartedSwarmNode, name: string): Promise<Endpoint> {
  return endpointOf(name, node, name);
}

/** The address traffic to this endpoint goes to: on `network` if given, else its only (first) network. */
export function addressOf(endpoint: Endpoint, network?: string): string {
  const address = network ? endpoint.addresses.get(network) : [...endpoint.addresses.values()][0];
  if (!address) {
    const on = [...endpoint.addresses.keys()].join(", ") || "none";
    throw new Error(`${endpoint.label} has no address${network ? ` on network ${network}` : ""} (its networks: ${on}).`);
  }
  return address;
}
