// A swarm of DinD nodes: builder (SwarmClusterBuilder) → StartedSwarmCluster.
import { nodeAddress } from "./config.js";
import type { WorkloadArchive } from "./images/catalogue.js";
import { startLabNetwork, type StartedLabNetwork } from "./lab-network.js";
import { timed } from "./log.js";
import { pollUntil } from "./poll.js";
import type { PrivilegeMode } from "./privilege.js";
import { SwarmNodeContainer, type NodeRole, type NodeSpec, type StartedSwarmNode } from "./swarm-node.js";

export interface NodePlan {
  name: string;
  role: NodeRole;
  engine: string;
}

export interface ClusterShape {
  nodes: NodePlan[];
  /** false: plain Docker hosts on the lab network, no swarm yet. */
  initialised: boolean;
}

/** manager1..managerM, worker1..workerW, each on `engineFor(role, index)`. */
export function clusterShape(
  managers: number,
  workers: number,
  engineFor: (role: NodeRole, index: number) => string,
  initialised = true,
): ClusterShape {
  if (managers < 1) throw new Error("A swarm needs at least 1 manager.");
  const plan = (role: NodeRole, count: number): NodePlan[] =>
    Array.from({ length: count }, (_, i) => ({ name: `${role}${i + 1}`, role, engine: engineFor(role, i) }));
  return { nodes: [...plan("manager", managers), ...plan("worker", workers)], initialised };
}

export function describeShape(shape: ClusterShape): string {
  const count = (role: NodeRole) => shape.nodes.filter((n) => n.role === role).length;
  const engines = [...new Set(shape.nodes.map((n) => n.engine))].join("+");
  return `${count("manager")} manager(s) + ${count("worker")} worker(s), engine ${engines}${shape.initialised ? "" : ", no swarm"}`;
}

export interface ClusterEnvironment {
  nodeImage: (engine: string) => Promise<string>;
  workloads: WorkloadArchive;
  privilege: PrivilegeMode;
  labSubnet: string;
}

export interface NodeListEntry {
  ID: string;
  Hostname: string;
  Status: string;
  Availability: string;
  ManagerStatus: string;
  EngineVersion: string;
  Self: boolean;
}

export class UnknownNodeError extends Error {
  constructor(name: string, known: string[]) {
    super(`Unknown node "${name}". This cluster has: ${known.join(", ")}.`);
    this.name = "UnknownNodeError";
  }
}

export class SwarmClusterBuilder {
  constructor(
    private readonly shape: ClusterShape,
    private readonly env: ClusterEnvironment,
  ) {}

  async start(): Promise<StartedSwarmCluster> {
    return timed(`starting cluster (${describeShape(this.shape)})`, async () => {
      const network = await startLabNetwork(this.env.labSubnet);
      const started: StartedSwarmNode[] = [];
      try {
        const starting = this.shape.nodes.map((plan, index) => startNode(this.env, network, { ...plan, address: nodeAddress(this.env.labSubnet, index) }));
        // The swarm forms while nodes are still starting: init as soon as the first
        // manager is up, each join as soon as its node is.
        const forming = this.shape.initialised ? formAsNodesStart(this.shape.nodes, starting) : Promise.resolve();
        const [results, formFailure] = await Promise.all([Promise.allSettled(starting), forming.then(() => undefined, (error: unknown) => ({ error }))]);
        for (const r of results) if (r.status === "fulfilled") started.push(r.value);
        const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
        if (failed) throw failed.reason;
        if (formFailure) throw formFailure.error;
        const cluster = new StartedSwarmCluster(this.env, network, started);
        if (this.shape.initialised) await cluster.adoptFormedSwarm();
        return cluster;
      } catch (error) {
        await Promise.allSettled(started.map((n) => n.stop()));
        await network.remove();
        throw error;
      }
    });
  }
}

/** init on the first manager, then managers one at a time and workers all at once, each when it has started. */
async function formAsNodesStart(plans: ClusterShape["nodes"], starting: Promise<StartedSwarmNode>[]): Promise<void> {
  const managers = plans.flatMap((p, i) => (p.role === "manager" ? [starting[i]] : []));
  const workers = plans.flatMap((p, i) => (p.role === "worker" ? [starting[i]] : []));
  const first = await managers[0];
  await first.swarmInit();
  const [managerToken, workerToken] = await Promise.all([first.joinToken("manager"), first.joinToken("worker")]);
  // Managers one at a time: each raft join must settle before the next.
  const managersJoined = (async () => {
    for (const manager of managers.slice(1)) await (await manager).swarmJoin(managerToken, first.address);
  })();
  await Promise.all([managersJoined, ...workers.map(async (worker) => (await worker).swarmJoin(workerToken, first.address))]);
}

async function startNode(env: ClusterEnvironment, network: StartedLabNetwork, spec: NodeSpec): Promise<StartedSwarmNode> {
  const image = await env.nodeImage(spec.engine);
  return new SwarmNodeContainer(image, spec, network.name, env.privilege, env.workloads).start();
}

export class StartedSwarmCluster {
  private readonly members: StartedSwarmNode[];
  private initialised: boolean;
  private damageReason?: string;
  private readonly lost = new Set<string>();

  constructor(
    private readonly env: ClusterEnvironment,
    readonly network: StartedLabNetwork,
    nodes: StartedSwarmNode[],
  ) {
    this.members = [...nodes];
    this.initialised = false;
  }

  /** Why this cluster must not be handed to another scenario, if it must not. */
  get damage(): string | undefined {
    return this.damageReason;
  }

  /** A fault was injected: the pool discards the cluster after this scenario. */
  markDamaged(reason: string): void {
    this.damageReason ??= reason;
  }

  /** The node's container was stopped or killed: manager commands go elsewhere. */
  markLost(name: string): void {
    this.lost.add(name);
  }

  /** Nodes whose container still runs. */
  get liveNodes(): StartedSwarmNode[] {
    return this.members.filter((n) => !this.lost.has(n.name));
  }

  get nodes(): readonly StartedSwarmNode[] {
    return this.members;
  }

  /** What the cluster is now: its nodes' names, roles and engines, and whether it is a swarm. */
  get shape(): ClusterShape {
    return { nodes: this.members.map(({ spec: { name, role, engine } }) => ({ name, role, engine })), initialised: this.initialised };
  }

  /**
   * A rolling upgrade's replacement: the node's container goes, a new one on `engine`
   * takes its name and address and joins with a real token; the old, Down entry is
   * removed from the swarm.
   */
  async replaceNode(name: string, engine: string): Promise<StartedSwarmNode> {
    const old = this.node(name);
    const oldId = (await old.dockerOk(["info", "--format", "{{.Swarm.NodeID}}"])).stdout.trim();
    await old.stop();
    const fresh = await startNode(this.env, this.network, { ...old.spec, engine });
    this.members[this.members.indexOf(old)] = fresh;
    const manager = this.managers.find((m) => m !== fresh) ?? this.primary;
    await pollUntil(`${name}'s old entry to be Down`, () => this.nodeList(manager), (list) => list.some((n) => n.ID === oldId && n.Status === "Down"), { timeoutMs: 60_000 });
    await manager.dockerOk(["node", "rm", "--force", oldId]);
    await fresh.swarmJoin(await manager.joinToken(fresh.role), manager.address);
    await this.waitForReadyNodes();
    return fresh;
  }

  node(name: string): StartedSwarmNode {
    const found = this.nodes.find((n) => n.name === name);
    if (!found) throw new UnknownNodeError(name, this.nodeNames());
    return found;
  }

  nodeNames(): string[] {
    return this.nodes.map((n) => n.name);
  }

  get managers(): StartedSwarmNode[] {
    return this.nodes.filter((n) => n.role === "manager");
  }

  get workers(): StartedSwarmNode[] {
    return this.nodes.filter((n) => n.role === "worker");
  }

  /** The first manager still running: it initialised the swarm, unless it was lost; manager commands go here. */
  get primary(): StartedSwarmNode {
    const live = this.managers.find((m) => !this.lost.has(m.name));
    if (!live) throw new Error(`Every manager of this cluster is stopped (${[...this.lost].join(", ")}): no node can answer for the swarm.`);
    return live;
  }

  /** For a swarm formed while the nodes started: hands over once every node is Ready. */
  async adoptFormedSwarm(): Promise<void> {
    this.initialised = true;
    await this.waitForReadyNodes();
  }

  /** init on the first manager, then joins with real tokens; waits until all are Ready. */
  async formSwarm(): Promise<void> {
    this.initialised = true;
    await formAsNodesStart(this.members.map((n) => n.spec), this.members.map((n) => Promise.resolve(n)));
    // Handed over once every node is Ready. ingress and docker_gwbridge show up on a
    // node about 2 s later; steps that look at them poll, as a person would re-run.
    await this.waitForReadyNodes();
  }


  async nodeList(from: StartedSwarmNode = this.primary): Promise<NodeListEntry[]> {
    const { stdout } = await from.dockerOk(["node", "ls", "--format", "{{json .}}"]);
    return stdout
      .split("\n")
      .filter(Boolean)
      .map((line) => {
        const raw = JSON.parse(line) as Record<string, unknown>;
        return { ...(raw as unknown as NodeListEntry), Self: raw.Self === true || raw.Self === "true" };
      });
  }

  async waitForReadyNodes(count = this.nodes.length): Promise<NodeListEntry[]> {
    return pollUntil(
      `${count} Ready nodes in 'docker node ls'`,
      () => this.nodeList(),
      (list) => list.filter((n) => n.Status === "Ready").length === count,
      { timeoutMs: 60_000, intervalMs: 200 },
    );
  }

  async stop(): Promise<void> {
    await Promise.allSettled(this.nodes.map((n) => n.stop()));
    await this.network.remove();
  }
}
