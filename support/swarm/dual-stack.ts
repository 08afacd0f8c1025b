// What a dual-stack overlay gave each task: the addresses the swarm's allocator
// assigned (the task record) against those its container has (some a node makes up
// on its own), and what of that a scenario can claim.
import { inSubnet } from "../text/ipv4.js";
import { inIpv6Subnet } from "../text/ipv6.js";
import type { Swarm } from "./swarm.js";

export interface TaskAddressing {
  /** "my-web.1@worker1". */
  label: string;
  /** What the swarm's allocator gave the task on the network, without prefix. */
  fromSwarm: string[];
  /** What the task's container has on the network (IPv4 and IPv6). */
  own: string[];
}

export interface DualStackFindings {
  /** How many addresses the swarm gave each task, in task order. */
  perTask: number[];
  /** Swarm-given addresses the task's container does not have. */
  notOnContainer: string[];
  /** Swarm-given addresses inside none of the network's subnets. */
  outsideSubnets: string[];
  /** Swarm-given addresses given to more than one task: the allocator must never do that. */
  givenTwice: string[];
  /** Container addresses the swarm did not give (a node made them up), and which of those repeat across tasks. */
  madeUp: string[];
  madeUpRepeated: string[];
}

const inCidr = (address: string, cidr: string) =>
  address.includes(":") === cidr.includes(":") && (address.includes(":") ? inIpv6Subnet : inSubnet)(address, cidr);

const repeatedIn = (list: string[]) => [...new Set(list.filter((a, i) => list.indexOf(a) !== i))];

export function dualStackFindings(tasks: readonly TaskAddressing[], subnets: readonly string[]): DualStackFindings {
  const given = tasks.flatMap((t) => t.fromSwarm);
  const madeUp = tasks.flatMap((t) => t.own.filter((a) => !t.fromSwarm.includes(a)));
  return {
    perTask: tasks.map((t) => t.fromSwarm.length),
    notOnContainer: tasks.flatMap((t) => t.fromSwarm.filter((a) => !t.own.includes(a)).map((a) => `${t.label}: ${a}`)),
    outsideSubnets: given.filter((a) => !subnets.some((cidr) => inCidr(a, cidr))),
    givenTwice: repeatedIn(given),
    madeUp,
    madeUpRepeated: repeatedIn(madeUp),
  };
}

export interface DualStackObservation {
  tasks: TaskAddressing[];
  /** The network's subnets, IPv4 and IPv6. */
  subnets: string[];
  findings: DualStackFindings;
}

/** What the swarm gave each running task of `service` on `network`, against what its container has. */
export async function observeDualStack(swarm: Swarm, service: string, network: string): Promise<DualStackObservation> {
  const given = await swarm.swarmTaskAddresses(service, network);
  const tasks = (await swarm.everyTaskEndpoint(service)).map((t) => ({
    label: `${t.label}@${t.node.name}`,
    own: [t.addresses.get(network), t.ipv6Addresses.get(network)].filter((a): a is string => Boolean(a)),
    fromSwarm: (given.get(t.container) ?? []).map((a) => a.split("/")[0]),
  }));
  const subnets = ((await swarm.network(network)).IPAM.Config ?? []).map((c) => (c as { Subnet: string }).Subnet);
  return { tasks, subnets, findings: dualStackFindings(tasks, subnets) };
}
