// Things traffic goes from and to, by the names scenarios use: a service's tasks
// ("my-web.1"), the task of a service on a node ("my-web@worker1") and standalone
// containers the scenario started ("outsider").
import type { StartedSwarmCluster } from "../cluster/swarm-cluster.js";
import type { StartedSwarmNode } from "../cluster/swarm-node.js";
import { inContainer, type ProbeSource } from "../probes/runner.js";
import { SwarmnetError } from "../run/errors.js";
import { runningTasks, wholeServiceTasks, type ServiceTask } from "./services.js";

export interface Endpoint extends ProbeSource {
  /** Addresses by network name, ingress left out (it only carries the routing mesh). */
  addresses: Map<string, string>;
  /** IPv6 addresses by network name, on dual-stack networks. */
  ipv6Addresses: Map<string, string>;
  /** MAC addresses by network name. */
  macs: Map<string, string>;
  /** The container's name on its node. */
  container: string;
}

export class UnknownEndpointError extends SwarmnetError {}

interface ContainerInspect {
  Id: string;
  Name: string;
  NetworkSettings: {
    Networks: Record<string, { IPAddress: string; GlobalIPv6Address: string; MacAddress: string }>;
  };
}

async function endpointOf(label: string, node: StartedSwarmNode, container: string): Promise<Endpoint> {
  const inspected = await node.inspect<ContainerInspect>("container", container);
  // On the host network a container answers on its node's own address.
  const addresses = new Map(
    Object.entries(inspected.NetworkSettings.Networks)
      .map(([network, settings]) => [network, network === "host" ? node.address : settings.IPAddress] as const)
      .filter(([network, address]) => network !== "ingress" && address !== ""),
  );
  const ipv6Addresses = new Map(
    Object.entries(inspected.NetworkSettings.Networks)
      .map(([network, settings]) => [network, settings.GlobalIPv6Address] as const)
      .filter(([, address]) => address),
  );
  const macs = new Map(
    Object.entries(inspected.NetworkSettings.Networks).map(([network, s]) => [network, s.MacAddress] as const),
  );
  return {
    ...inContainer(label, node, inspected.Id),
    addresses,
    ipv6Addresses,
    macs,
    container: inspected.Name.replace(/^\//, ""),
  };
}

/** The running tasks of a service, labelled by slot (my-web.1, my-web.2, ...). */
export async function taskEndpoints(cluster: StartedSwarmCluster, service: string): Promise<Endpoint[]> {
  const tasks = await runningTasks(cluster, service);
  if (tasks.length === 0) throw new UnknownEndpointError(`Service ${service} has no running task.`);
  return endpointsOfTasks(cluster, tasks);
}

/**
 * Every task the service should have, each running (waits for that, see
 * wholeServiceTasks): what a claim about "every task of" a service is made over.
 */
export async function wholeServiceEndpoints(cluster: StartedSwarmCluster, service: string): Promise<Endpoint[]> {
  return endpointsOfTasks(cluster, await wholeServiceTasks(cluster, service));
}

function endpointsOfTasks(cluster: StartedSwarmCluster, tasks: ServiceTask[]): Promise<Endpoint[]> {
  return Promise.all(tasks.map((t) => endpointOf(t.name, cluster.node(t.node), t.containerName)));
}

/**
 * Ids of the containers of `service`'s tasks on `node`, as that node's own daemon
 * lists them: running ones, or (`all`) stopped ones not yet removed too.
 */
export function taskContainersOn(node: StartedSwarmNode, service: string, { all = false } = {}): Promise<string[]> {
  const filter = ["--filter", `label=com.docker.swarm.service.name=${service}`];
  return node.dockerLines(["ps", ...(all ? ["-a"] : []), "-q", "--no-trunc", ...filter]);
}

/**
 * The task of `service` running on `node`, as that node's own daemon sees it: works
 * when the managers cannot answer (quorum lost). "my-web@worker1".
 */
export async function localTaskEndpoint(node: StartedSwarmNode, service: string): Promise<Endpoint> {
  const ids = await taskContainersOn(node, service);
  if (ids.length !== 1) {
    throw new UnknownEndpointError(
      `${service}@${node.name}: expected one running task of ${service} on ${node.name}, found ${ids.length}.`,
    );
  }
  return endpointOf(`${service}@${node.name}`, node, ids[0]);
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
    throw new UnknownEndpointError(
      `${endpoint.label} has no address${network ? ` on network ${network}` : ""} (its networks: ${on}).`,
    );
  }
  return address;
}

/** The endpoint's IPv6 address on `network` (a dual-stack network). */
export function ipv6AddressOf(endpoint: Endpoint, network: string): string {
  const address = endpoint.ipv6Addresses.get(network);
  if (!address) {
    const on = [...endpoint.ipv6Addresses.keys()].join(", ") || "none";
    throw new UnknownEndpointError(
      `${endpoint.label} has no IPv6 address on network ${network} (its IPv6 networks: ${on}).`,
    );
  }
  return address;
}
