// What a dual-stack overlay gave each task: the addresses the swarm's allocator
// assigned (the task record) against those its container has (some a node makes up
// on its own), and what of that a scenario can claim.
import { httpGets } from "../probes/http.js";
import { SwarmnetError } from "../run/errors.js";
import { PORTS } from "../run/limits.js";
import { inSubnet } from "../text/ipv4.js";
import { inIpv6Subnet } from "../text/ipv6.js";
import { addressOf, type Endpoint } from "./endpoints.js";
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

/** Each running task of `service`: its endpoint, and its addresses on `network`, own and from the swarm. */
async function addressedTasks(
  swarm: Swarm,
  service: string,
  network: string,
): Promise<(TaskAddressing & { endpoint: Endpoint })[]> {
  const given = await swarm.swarmTaskAddresses(service, network);
  return (await swarm.everyTaskEndpoint(service)).map((t) => ({
    endpoint: t,
    label: `${t.label}@${t.node.name}`,
    own: [t.addresses.get(network), t.ipv6Addresses.get(network)].filter((a): a is string => Boolean(a)),
    fromSwarm: (given.get(t.container) ?? []).map((a) => a.split("/")[0]),
  }));
}

/** What the swarm gave each running task of `service` on `network`, against what its container has. */
export async function observeDualStack(swarm: Swarm, service: string, network: string): Promise<DualStackObservation> {
  const tasks = (await addressedTasks(swarm, service, network)).map(({ label, own, fromSwarm }) => ({
    label,
    own,
    fromSwarm,
  }));
  const subnets = ((await swarm.network(network)).IPAM.Config ?? []).map((c) => (c as { Subnet: string }).Subnet);
  return { tasks, subnets, findings: dualStackFindings(tasks, subnets) };
}

export class ControlRequestError extends SwarmnetError {}

/** Who answered a request to a task at one of its addresses. */
export type Answerer = "that task" | "a task on the requester's node" | "another task" | "no answer";

export interface CrossNodeRequest {
  from: string;
  to: string;
  address: string;
  /** Whether the swarm's allocator gave the address (else its node made it up). */
  fromSwarm: boolean;
  answeredBy: Answerer;
}

/**
 * From every running task of `service`, a GET of /hostname to each task on another
 * node, at each address its container has on `network` (IPv4 and IPv6), each marked
 * as the swarm's or made up by its node; and the same at its address on `control`, a
 * plain overlay, which must answer as that task: the probe runs and crosses nodes. The
 * tasks serve /etc (busybox's httpd -h /etc), so /hostname names who answered.
 */
export async function requestsAcrossNodes(
  swarm: Swarm,
  service: string,
  network: string,
  control: string,
): Promise<CrossNodeRequest[]> {
  const tasks = await Promise.all(
    (await addressedTasks(swarm, service, network)).map(async (t) => ({
      ...t,
      hostname: (await t.endpoint.node.inspect<{ Config: { Hostname: string } }>("container", t.endpoint.container))
        .Config.Hostname,
      controlAddress: addressOf(t.endpoint, control),
    })),
  );
  const requests: CrossNodeRequest[] = [];
  for (const from of tasks) {
    const local = tasks.filter((t) => t.endpoint.node === from.endpoint.node).map((t) => t.hostname);
    const others = tasks.filter((to) => to.endpoint.node !== from.endpoint.node);
    const targets = others.flatMap((to) => to.own.map((address) => ({ to, address })));
    const answers = await httpGets(
      from.endpoint,
      [...others.map((to) => to.controlAddress), ...targets.map(({ address }) => address)].map((host) => ({
        host,
        port: PORTS.http,
      })),
      "/hostname",
    );
    others.forEach((to, i) => {
      if (answers[i].body !== to.hostname)
        throw new ControlRequestError(
          `From ${from.label}, ${to.label} at ${to.controlAddress} on ${control} (the control) did not answer as ` +
            `itself (${to.hostname}): ${answers[i].answered ? `"${answers[i].body}" did` : (answers[i].reason ?? "no answer")}`,
        );
    });
    targets.forEach(({ to, address }, i) => {
      const answer = answers[others.length + i];
      const answeredBy: Answerer = !answer.answered
        ? "no answer"
        : answer.body === to.hostname
          ? "that task"
          : local.includes(answer.body ?? "")
            ? "a task on the requester's node"
            : "another task";
      requests.push({ from: from.label, to: to.label, address, fromSwarm: to.fromSwarm.includes(address), answeredBy });
    });
  }
  return requests;
}
