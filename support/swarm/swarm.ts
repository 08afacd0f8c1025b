// The swarm as steps speak of it: overlays, services, tasks, containers and the
// endpoints traffic goes between. One Swarm per scenario, over its cluster; it
// remembers the standalone containers the scenario started, by name.
import type { StartedSwarmCluster } from "../cluster/swarm-cluster.js";
import { dockerAgainOn } from "../cluster/command-again.js";
import type { StartedSwarmNode } from "../cluster/swarm-node.js";
import { IN_NODE_PROBE_IMAGE, IN_NODE_WEB_IMAGE } from "../host/images/catalogue.js";
import { SwarmnetError } from "../run/errors.js";
import { DEADLINE_MS, INTERVAL_MS } from "../run/limits.js";
import { pollUntil } from "../run/poll.js";
import {
  containerEndpoint,
  localTaskEndpoint,
  taskEndpoints,
  UnknownEndpointError,
  wholeServiceEndpoints,
  type Endpoint,
} from "./endpoints.js";
import { parseNodeStateChanges, type NodeStateChange } from "../text/docker-json.js";
import { subnetsOverlap } from "../text/ipv4.js";
import { findNetworkOn, inspectNetworkOn, subnetOf, type NetworkInspect } from "./network-view.js";
import {
  desiredTasks,
  endedTasks,
  runningTasks,
  swarmTaskAddresses,
  waitForRunningTasks,
  type ServiceTask,
} from "./services.js";

/** How often a node update refused as out of sequence is made (each on a fresh read). */
const OUT_OF_SEQUENCE_ATTEMPTS = 5;
/** How often a standalone container whose network attachment timed out is started. */
const ATTACH_ATTEMPTS = 3;

export interface ServiceSpec {
  name: string;
  /** What the tasks run: the web workload (nginx, port 80) unless a probe command is given. */
  command?: string[];
  /** A number of replicas, or "global": one task per node. */
  replicas: number | "global";
  networks?: string[];
  endpointMode?: "vip" | "dnsrr";
  /** Further `docker service create` options, as words. */
  options?: string[];
}

export interface ContainerSpec {
  name: string;
  /** "web" answers HTTP on port 80; "probe" only sleeps (a client); a command runs in the probe image. */
  workload: "web" | "probe" | { command: string[] };
  /** A network name, or "host" for the node's own network namespace. */
  network: string;
  /** More `docker run` options, e.g. --network-alias. */
  options?: string[];
}

export interface ServiceInspect {
  ID: string;
  UpdateStatus?: { State: string; StartedAt?: string };
  Spec: { EndpointSpec?: { Mode?: string }; Mode?: { Replicated?: { Replicas?: number } } };
  Endpoint: {
    VirtualIPs?: { NetworkID: string; Addr: string }[];
    Ports?: { TargetPort: number; PublishedPort: number; PublishMode: string; Protocol: string }[];
  };
}

export interface NetworkListRow {
  name: string;
  driver: string;
  scope: string;
}

export type Availability = "active" | "pause" | "drain";

export class Swarm {
  /** The node each standalone container runs on, by name: looked up anew, as an upgrade in place replaces it. */
  /** Containers the scenario started, by name: their node's name. */
  private readonly containers = new Map<string, string>();

  constructor(readonly cluster: StartedSwarmCluster) {}

  /** Where manager commands go: the first manager still running. */
  get manager(): StartedSwarmNode {
    return this.cluster.primary;
  }

  /**
   * `docker swarm update --dispatcher-heartbeat`, read back from the swarm. A manager
   * that takes leadership marks every node Down that has not re-registered within
   * three heartbeats, and their replicated tasks start elsewhere (swarmkit dispatcher
   * markNodesUnknown; orchestrator restartTasksByNodeID).
   */
  async setDispatcherHeartbeat(seconds: number): Promise<void> {
    await this.manager.dockerOk(["swarm", "update", "--dispatcher-heartbeat", `${seconds}s`]);
    const period = await this.manager.dockerOk([
      "info",
      "--format",
      "{{json .Swarm.Cluster.Spec.Dispatcher.HeartbeatPeriod}}",
    ]);
    const nanoseconds = Number(period.stdout.trim());
    if (nanoseconds !== seconds * 1e9)
      throw new SwarmnetError(
        `the swarm's dispatcher heartbeat is ${period.stdout.trim()} ns after an update to ${seconds} s`,
      );
  }

  /**
   * Nodes' state changes since `sinceMs` (epoch ms), from the manager's event log: it
   * reaches back only to its daemon's start.
   */
  async nodeStateChanges(sinceMs: number): Promise<NodeStateChange[]> {
    const window = ["--since", (sinceMs / 1000).toFixed(3), "--until", (Date.now() / 1000).toFixed(3)];
    const events = await this.manager.dockerOk([
      "events",
      ...window,
      "--filter",
      "type=node",
      "--format",
      "{{json .}}",
    ]);
    return parseNodeStateChanges(events.stdout);
  }

  async createOverlay(name: string, options: string[] = []): Promise<NetworkInspect> {
    await this.manager.dockerOk(["network", "create", "--driver", "overlay", ...options, name]);
    return this.network(name);
  }

  /** Creates the service and waits until its tasks run (one per node for a global service). */
  async createService(spec: ServiceSpec): Promise<ServiceTask[]> {
    await this.submitService(spec);
    const replicas = spec.replicas === "global" ? this.cluster.nodes.length : spec.replicas;
    return waitForRunningTasks(this.cluster, spec.name, replicas);
  }

  /** `docker service create`, without waiting for anything (tasks that may never count as running). */
  async submitService(spec: ServiceSpec): Promise<void> {
    const mode = spec.replicas === "global" ? ["--mode", "global"] : ["--replicas", String(spec.replicas)];
    const networks = (spec.networks ?? []).flatMap((n) => ["--network", n]);
    const endpoint = spec.endpointMode ? ["--endpoint-mode", spec.endpointMode] : [];
    // --detach: swarmnet polls for convergence itself instead of docker's fixed 5 s "verify" wait.
    // --no-resolve-image: the image is local to the nodes; never look it up on a registry.
    await this.manager.dockerOk([
      "service",
      "create",
      "--detach",
      "--no-resolve-image",
      ...mode,
      "--name",
      spec.name,
      ...networks,
      ...endpoint,
      ...(spec.options ?? []),
      ...(spec.command ? [IN_NODE_PROBE_IMAGE, ...spec.command] : [IN_NODE_WEB_IMAGE]),
    ]);
  }

  async scale(service: string, replicas: number): Promise<ServiceTask[]> {
    await this.manager.dockerOk(["service", "scale", "--detach", `${service}=${replicas}`]);
    return waitForRunningTasks(this.cluster, service, replicas);
  }

  /**
   * `docker service update` with the options, then waits until this update has
   * completed: a status that started at another time is the previous update's.
   */
  async updateService(service: string, options: string[]): Promise<void> {
    const before = (await this.inspectService(service)).UpdateStatus?.StartedAt;
    await this.manager.dockerOk(["service", "update", "--detach", ...options, service]);
    await pollUntil(
      `the update of ${service} to complete`,
      async () => (await this.inspectService(service)).UpdateStatus,
      (status) => status?.State === "completed" && status.StartedAt !== before,
      { timeoutMs: DEADLINE_MS.placement, intervalMs: INTERVAL_MS.probe },
    );
  }

  /** What a container the scenario started has written to its log so far. */
  async containerLog(endpoint: Endpoint): Promise<string> {
    const { stdout, stderr } = await endpoint.node.dockerOk(["logs", endpoint.container]);
    return `${stdout}${stderr}`;
  }

  /**
   * `docker node update --availability`. The CLI sends the node object it read with
   * its version; when the node itself updated it in between (its status, right after
   * its daemon came back), the manager refuses with "update out of sequence", and
   * the update is made again on the new version.
   */
  async setAvailability(node: StartedSwarmNode, availability: Availability): Promise<void> {
    await dockerAgainOn(this.manager, ["node", "update", "--availability", availability, node.name], {
      refusal: "update out of sequence",
      attempts: OUT_OF_SEQUENCE_ATTEMPTS,
      what: `${node.name}: node update out of sequence`,
    });
  }

  desiredTasks(service: string): Promise<ServiceTask[]> {
    return desiredTasks(this.cluster, service);
  }

  runningTasks(service: string): Promise<ServiceTask[]> {
    return runningTasks(this.cluster, service);
  }

  /** Waits for exactly `count` Running tasks; on timeout the error lists every task's state. */
  tasksRunning(service: string, count: number, timeoutMs?: number): Promise<ServiceTask[]> {
    return waitForRunningTasks(this.cluster, service, count, timeoutMs);
  }

  endedTasks(service: string): Promise<ServiceTask[]> {
    return endedTasks(this.cluster, service);
  }

  swarmTaskAddresses(service: string, network: string): Promise<Map<string, string[]>> {
    return swarmTaskAddresses(this.cluster, service, network);
  }

  /** Nodes the manager has scheduled a task of the service on. */
  async nodesRunning(service: string): Promise<StartedSwarmNode[]> {
    const names = new Set((await this.desiredTasks(service)).map((t) => t.node));
    if (names.size === 0) throw new SwarmnetError(`Service ${service} has no tasks.`);
    return this.cluster.nodes.filter((n) => names.has(n.name));
  }

  inspectService(service: string): Promise<ServiceInspect> {
    return this.manager.inspect<ServiceInspect>("service", service);
  }

  /** The service's virtual IPs, without their prefix length. */
  async virtualIps(service: string): Promise<string[]> {
    return ((await this.inspectService(service)).Endpoint.VirtualIPs ?? []).map((v) => v.Addr.split("/")[0]).sort();
  }

  /** The network as the manager sees it (an unknown name lists the networks). */
  network(name: string, node: StartedSwarmNode = this.manager): Promise<NetworkInspect> {
    return inspectNetworkOn(node, name);
  }

  /** The node's view of the network, or undefined where the node does not have it. */
  findNetwork(name: string, node: StartedSwarmNode): Promise<NetworkInspect | undefined> {
    return findNetworkOn(node, name);
  }

  /** Whether each live node has the network now. */
  async nodesHaving(network: string): Promise<Record<string, boolean>> {
    const seen = await Promise.all(
      this.cluster.liveNodes.map(async (n) => [n.name, (await findNetworkOn(n, network)) !== undefined] as const),
    );
    return Object.fromEntries(seen);
  }

  /** The Peers of the network on `node`; none when the node does not have the network. */
  async peersOn(node: StartedSwarmNode, network: string): Promise<string[]> {
    return ((await findNetworkOn(node, network))?.Peers ?? []).map((p) => p.IP).sort();
  }

  /** `docker network ls` on the node, sorted by name. */
  async networkList(node: StartedSwarmNode): Promise<NetworkListRow[]> {
    const lines = await node.dockerLines(["network", "ls", "--format", "{{.Name}} {{.Driver}} {{.Scope}}"]);
    return lines
      .map((line) => {
        const [name, driver, scope] = line.split(" ");
        return { name, driver, scope };
      })
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Every network on every live node with its IPv4 subnets: "<node> <network> <subnet>" facts for overlap checks. */
  async subnetsOnEveryNode(): Promise<{ node: string; network: string; subnet: string }[]> {
    const perNodeViews = await Promise.all(
      this.cluster.liveNodes.map(async (node) => {
        // A network removed between `ls` and `inspect` (a node drops a removed overlay a
        // moment after the manager) fails the inspect: list again, for a consistent snapshot.
        const inspected = await pollUntil(
          `a consistent list of the networks on ${node.name}`,
          async () => node.docker(["network", "inspect", ...(await node.dockerLines(["network", "ls", "-q"]))]),
          (result) => result.exitCode === 0 || !/No such network/.test(result.stderr),
          { timeoutMs: DEADLINE_MS.convergence, intervalMs: INTERVAL_MS.fast },
        );
        if (inspected.exitCode !== 0) {
          throw new SwarmnetError(`On ${node.name}, docker network inspect failed: ${inspected.stderr.trim()}`);
        }
        return (JSON.parse(inspected.stdout) as NetworkInspect[]).flatMap((view) =>
          (view.IPAM.Config ?? [])
            .filter((c) => c.Subnet?.includes("."))
            .map((c) => ({ node: node.name, network: view.Name, subnet: c.Subnet })),
        );
      }),
    );
    return perNodeViews.flat();
  }

  /** The networks on any node whose IPv4 subnet overlaps `network`'s ("name on node: subnet"). */
  async overlapsWith(network: string): Promise<{ subnet: string; compared: number; overlaps: string[] }> {
    const subnet = subnetOf(await this.network(network));
    const others = (await this.subnetsOnEveryNode()).filter((s) => s.network !== network);
    const overlaps = others
      .filter((s) => subnetsOverlap(s.subnet, subnet))
      .map((s) => `${s.network} on ${s.node}: ${s.subnet}`);
    return { subnet, compared: others.length, overlaps };
  }

  /** Removes a service, then its network as soon as no node holds it any more (rm fails until then). */
  async removeServiceAndNetwork(service: string, network: string): Promise<void> {
    await this.manager.dockerOk(["service", "rm", service]);
    await pollUntil(
      `docker network rm ${network} to succeed`,
      () => this.manager.docker(["network", "rm", network]),
      (result) => result.exitCode === 0,
      { timeoutMs: DEADLINE_MS.placement, intervalMs: INTERVAL_MS.probe },
    );
  }

  /**
   * Replaces the ingress network with one made with `options` (--subnet, --opt ...).
   * The CLI asks before removing ingress: the answer is given on stdin.
   */
  async recreateIngress(options: string[]): Promise<NetworkInspect> {
    await this.manager.shOk("echo y | docker network rm ingress");
    await pollUntil(
      "ingress to be gone from the manager",
      () => findNetworkOn(this.manager, "ingress"),
      (view) => view === undefined,
      { timeoutMs: DEADLINE_MS.ingressRemoval },
    );
    await this.manager.dockerOk(["network", "create", "--driver", "overlay", "--ingress", ...options, "ingress"]);
    return this.network("ingress");
  }

  /** Starts a standalone container on the node; the scenario can then name it as an endpoint. */
  async runContainer(node: StartedSwarmNode, spec: ContainerSpec): Promise<Endpoint> {
    const command =
      spec.workload === "web"
        ? [IN_NODE_WEB_IMAGE]
        : [IN_NODE_PROBE_IMAGE, ...(spec.workload === "probe" ? ["sleep", "3600"] : spec.workload.command)];
    const run = ["run", "-d", "--name", spec.name, "--network", spec.network, ...(spec.options ?? []), ...command];
    // A container on an attachable overlay waits for the manager to allocate its
    // attachment, with a deadline of Docker's own; on a starved node that deadline
    // passes (as on the UML kernel host beside the host pass) and the container
    // stays behind, created but not started.
    await dockerAgainOn(node, run, {
      refusal: "attaching to network failed",
      attempts: ATTACH_ATTEMPTS,
      what: `${node.name}: ${spec.name} could not attach to ${spec.network}`,
      undo: ["rm", "-f", spec.name],
    });
    this.containers.set(spec.name, node.name);
    return containerEndpoint(node, spec.name);
  }

  private nodeOfContainer(name: string): string {
    const nodeName = this.containers.get(name);
    if (!nodeName)
      throw new UnknownEndpointError(
        `No container ${name} was started in this scenario (started: ${[...this.containers.keys()].join(", ") || "none"}).`,
      );
    return nodeName;
  }

  /**
   * Starts a container of this scenario again after its daemon stopped it (an
   * upgrade in place, a daemon restart): Docker keeps its configuration and asks the
   * manager for its overlay attachment anew. A daemon just back may still be removing
   * the network's leftover endpoint and refuse it ("not found") for a moment.
   */
  async startContainerAgain(name: string): Promise<Endpoint> {
    const node = this.cluster.node(this.nodeOfContainer(name));
    await dockerAgainOn(node, ["start", name], {
      refusal: "not found",
      attempts: ATTACH_ATTEMPTS,
      what: `${node.name}: ${name} could not be started again`,
    });
    return containerEndpoint(node, name);
  }

  /**
   * Each running task's /etc/resolv.conf, by task label, read on its node from the
   * file Docker mounts there (the web image has no `cat` to exec).
   */
  async resolvConfs(service: string): Promise<Record<string, string>> {
    const tasks = await this.everyTaskEndpoint(service);
    const read = async (t: Endpoint) => {
      const path = (await t.node.dockerOk(["inspect", "--format", "{{.ResolvConfPath}}", t.container])).stdout.trim();
      return [t.label, (await t.node.runOk(["cat", path])).stdout] as const;
    };
    return Object.fromEntries(await Promise.all(tasks.map(read)));
  }

  taskEndpoints(service: string): Promise<Endpoint[]> {
    return taskEndpoints(this.cluster, service);
  }

  /** Every task the service should have, once all run: what "every task of" a service means. */
  everyTaskEndpoint(service: string): Promise<Endpoint[]> {
    return wholeServiceEndpoints(this.cluster, service);
  }

  localTask(service: string, node: StartedSwarmNode): Promise<Endpoint> {
    return localTaskEndpoint(node, service);
  }

  /**
   * An endpoint by the name a scenario gives it: a container the scenario started
   * ("outsider"), the task of a service on a node ("my-web@worker1"), or a task slot
   * ("my-web.2"). Unknown names fail with what can be named.
   */
  async endpoint(label: string): Promise<Endpoint> {
    this.checkEndpointName(label);
    const node = this.containers.get(label);
    if (node) return containerEndpoint(this.cluster.node(node), label);
    const onNode = /^(.+)@(.+)$/.exec(label);
    if (onNode) return localTaskEndpoint(this.cluster.node(onNode[2]), onNode[1]);
    const service = label.replace(/\.\d+$/, "");
    const tasks = await taskEndpoints(this.cluster, service);
    const task = tasks.find((t) => t.label === label);
    if (!task)
      throw new UnknownEndpointError(
        `Unknown endpoint "${label}": ${service} has ${tasks.map((t) => t.label).join(", ")}.`,
      );
    return task;
  }

  /** Checks that a name could be an endpoint, without asking Docker (to fail a table at once). */
  checkEndpointName(label: string): void {
    if (this.containers.has(label) || /^.+\.\d+$/.test(label)) return;
    const onNode = /^(.+)@(.+)$/.exec(label);
    if (onNode) {
      this.cluster.node(onNode[2]);
      return;
    }
    throw new UnknownEndpointError(
      `Unknown endpoint "${label}": name a task slot like my-web.1, a task on a node like my-web@worker1, ` +
        `or a container of this scenario (${[...this.containers.keys()].join(", ") || "none started"}).`,
    );
  }
}
