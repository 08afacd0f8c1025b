// A swarm of DinD nodes: builder (SwarmClusterBuilder) → StartedSwarmCluster. The
// cluster forms the swarm (init, tokens, joins); nodes only run commands.
import { performance } from "node:perf_hooks";
import type { HostEnvironment } from "../host/harness.js";
import { dataSubnetFor, nodeAddress } from "../run/config.js";
import type { NodeSeen } from "../run/observation.js";
import { SwarmnetError } from "../run/errors.js";
import { DEADLINE_MS, INTERVAL_MS, PORTS } from "../run/limits.js";
import { formatSeconds, progress, timed } from "../run/log.js";
import { pollUntil, PollTimeoutError, type PollOptions } from "../run/poll.js";
import { describeNodeList, parseNodeList, type NodeListEntry } from "../text/docker-json.js";
import { joinedCommands, splitOutputs } from "../text/joined-outputs.js";
import { describeShape, planNodes, type ClusterShape, type NodePlan } from "./cluster-shape.js";
import { containerSite } from "./container-node.js";
import type { NodeSite } from "./node-site.js";
import { umlSite } from "./uml-node.js";
import { NODE_ROLES, type CommandResult, type NodeRole, type NodeSpec, type StartedSwarmNode } from "./swarm-node.js";

export type { NodeListEntry };

export class UnknownNodeError extends SwarmnetError {
  constructor(name: string, known: string[]) {
    super(`Unknown node "${name}". This cluster has: ${known.join(", ")}.`);
  }
}

export class NoManagerLeftError extends SwarmnetError {}

export class SwarmClusterBuilder {
  private readonly plans: NodePlan[] = [];
  private initialised = true;
  private dataNetwork = false;

  constructor(private readonly host: HostEnvironment) {}

  /** A builder for a shape written as data (what the cluster pool compares). */
  static forShape(shape: ClusterShape, host: HostEnvironment): SwarmClusterBuilder {
    const builder = new SwarmClusterBuilder(host).withNodes(shape.nodes);
    if (shape.dataNetwork) builder.withDataNetwork();
    return shape.initialised ? builder : builder.withoutSwarm();
  }

  withNodes(plans: NodePlan[]): this {
    this.plans.push(...plans);
    return this;
  }

  /** Adds `count` nodes of `role` (named manager1.., worker1..) on `engine`. */
  withNodesOf(role: NodeRole, count: number, engine: string): this {
    return this.withNodes(planNodes(role, count, () => engine, this.plans.filter((p) => p.role === role).length));
  }

  /** Plain Docker hosts on the lab network: the scenario forms the swarm itself. */
  withoutSwarm(): this {
    this.initialised = false;
    return this;
  }

  /**
   * Each node also on a second network, its data network (at the same host number),
   * and the swarm's VXLAN traffic on it: init and join with --data-path-addr.
   */
  withDataNetwork(): this {
    this.dataNetwork = true;
    return this;
  }

  get shape(): ClusterShape {
    return {
      nodes: [...this.plans],
      initialised: this.initialised,
      // Only when asked for, so that shapes without one compare as before.
      ...(this.dataNetwork ? { dataNetwork: true } : {}),
    };
  }

  async start(): Promise<StartedSwarmCluster> {
    const shape = this.shape;
    if (!shape.nodes.some((n) => n.role === "manager")) throw new SwarmnetError("A swarm needs at least 1 manager.");
    return timed(`starting cluster (${describeShape(shape)})`, async () => {
      // The data subnet only where the shape has one: it needs room above the lab subnet.
      const dataSubnet = shape.dataNetwork ? dataSubnetFor(this.host.labSubnet) : undefined;
      const site = await startSite(this.host, dataSubnet);
      const started: StartedSwarmNode[] = [];
      try {
        const starting = shape.nodes.map((plan, index) =>
          startNode(site, {
            ...plan,
            address: nodeAddress(this.host.labSubnet, index),
            ...(dataSubnet ? { dataAddress: nodeAddress(dataSubnet, index) } : {}),
          }),
        );
        // The swarm forms while nodes are still starting: init as soon as the first
        // manager is up, each join as soon as its node is.
        const forming = shape.initialised ? formAsNodesStart(shape.nodes, starting) : Promise.resolve();
        const [results, formFailure] = await Promise.all([
          Promise.allSettled(starting),
          forming.then(
            () => undefined,
            (error: unknown) => ({ error }),
          ),
        ]);
        for (const r of results) if (r.status === "fulfilled") started.push(r.value);
        const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
        if (failed) throw failed.reason;
        if (formFailure) throw formFailure.error;
        progress(
          `nodes up: ${started.map((n) => `${n.name} ${formatSeconds(n.startup.daemonMs)} + load ${formatSeconds(n.startup.loadMs)}`).join(", ")}`,
        );
        const cluster = new StartedSwarmCluster(site, started, shape.initialised);
        if (shape.initialised) await cluster.waitForReadyNodes();
        return cluster;
      } catch (error) {
        await Promise.allSettled(started.map((n) => n.stop()));
        await site.remove();
        throw error;
      }
    });
  }
}

/** Where this run's nodes live: containers on the outer daemon, or UML kernels on bridges. */
function startSite(host: HostEnvironment, dataSubnet?: string): Promise<NodeSite> {
  return host.nodeKind === "uml" ? umlSite(host, dataSubnet) : containerSite(host, dataSubnet);
}

/** --data-path-addr for a node with a data network address. */
function dataPathArgs(node: StartedSwarmNode): string[] {
  return node.spec.dataAddress ? ["--data-path-addr", node.spec.dataAddress] : [];
}

function swarmInit(node: StartedSwarmNode, extraArgs: string[] = []): Promise<CommandResult> {
  return node.dockerOk([
    "swarm",
    "init",
    "--advertise-addr",
    node.address,
    "--listen-addr",
    "0.0.0.0",
    ...dataPathArgs(node),
    ...extraArgs,
  ]);
}

async function joinToken(manager: StartedSwarmNode, role: NodeRole): Promise<string> {
  return (await manager.dockerOk(["swarm", "join-token", "-q", role])).stdout.trim();
}

/** Both join tokens, in one exec: [manager, worker]. */
async function joinTokens(manager: StartedSwarmNode): Promise<[string, string]> {
  const { stdout } = await manager.shOk(joinedCommands(NODE_ROLES.map((role) => `docker swarm join-token -q ${role}`)));
  const [managerToken, workerToken] = splitOutputs(stdout, 2).map((lines) => lines.join(""));
  return [managerToken, workerToken];
}

function swarmJoin(node: StartedSwarmNode, token: string, manager: StartedSwarmNode): Promise<CommandResult> {
  return node.dockerOk([
    "swarm",
    "join",
    "--token",
    token,
    "--advertise-addr",
    node.address,
    ...dataPathArgs(node),
    `${manager.address}:${PORTS.swarmManagement}`,
  ]);
}

/** init on the first manager, then managers one at a time and workers all at once, each when it has started. */
async function formAsNodesStart(plans: NodePlan[], starting: Promise<StartedSwarmNode>[]): Promise<void> {
  const managers = plans.flatMap((p, i) => (p.role === "manager" ? [starting[i]] : []));
  const workers = plans.flatMap((p, i) => (p.role === "worker" ? [starting[i]] : []));
  const first = await managers[0];
  await swarmInit(first);
  const [managerToken, workerToken] = await joinTokens(first);
  // Managers one at a time: each raft join must settle before the next.
  const managersJoined = (async () => {
    for (const manager of managers.slice(1)) await swarmJoin(await manager, managerToken, first);
  })();
  await Promise.all([managersJoined, ...workers.map(async (worker) => swarmJoin(await worker, workerToken, first))]);
}

/** A new node with its own, empty state. */
async function startNode(site: NodeSite, spec: NodeSpec): Promise<StartedSwarmNode> {
  return site.start(spec, await site.newState(spec));
}

/** What one in-place upgrade (or downgrade) did, as measured. */
export interface InPlaceUpgrade {
  node: StartedSwarmNode;
  /** Engine versions as the daemons reported them, before and after. */
  from: string;
  to: string;
  /** What the node was made of before and after ("UML 6.1.176" → "UML 6.12.113"). */
  kinds: { from: string; to: string };
  /** From the graceful stop of the old daemon until the new one answered. */
  daemonDownMs: number;
  /** From the new daemon answering until the swarm reported the node Ready on it. */
  readyAfterMs: number;
  /** While the node was down: the leader another manager reported (undefined without another manager). */
  leaderWhileDown?: string;
  /** Docker held the node Down after its new daemon registered, and the daemon was restarted once. */
  restartedWhileDown: boolean;
}

export class StartedSwarmCluster {
  private readonly members: StartedSwarmNode[];
  private damageReason?: string;
  private readonly lost = new Set<string>();

  constructor(
    private readonly site: NodeSite,
    nodes: StartedSwarmNode[],
    private initialised: boolean,
  ) {
    this.members = [...nodes];
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

  /** A node that was powered off boots again with its disks; commands reach it again. */
  async bootAgain(name: string): Promise<void> {
    await this.node(name).bootAgain();
    this.lost.delete(name);
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
    return {
      nodes: this.members.map(({ spec: { name, role, engine, kernel } }) => ({
        name,
        role,
        engine,
        ...(kernel ? { kernel } : {}),
      })),
      initialised: this.initialised,
    };
  }

  /** Each node as its daemon reports itself: for the report, and for the tools that read it. */
  nodesSeen(): Promise<NodeSeen[]> {
    return Promise.all(
      this.members.map(async (n) => ({
        name: n.name,
        address: n.address,
        engine: await n.engineVersion(),
        kind: n.kind,
      })),
    );
  }

  /** The /24 the nodes' lab addresses are on (each cucumber worker and pass has its own). */
  get labSubnet(): string {
    return `${this.members[0].address.split(".").slice(0, 3).join(".")}.0/24`;
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

  /** The first manager still running: it initialised the swarm, unless it was lost; manager commands go here. */
  get primary(): StartedSwarmNode {
    const live = this.managers.find((m) => !this.lost.has(m.name));
    if (!live) {
      throw new NoManagerLeftError(
        `Every manager of this cluster is stopped (${[...this.lost].join(", ")}): no node can answer for the swarm.`,
      );
    }
    return live;
  }

  /** `docker swarm init` on `node` (advertising its lab address); the cluster is a swarm from now on. */
  async initSwarm(node: StartedSwarmNode, extraArgs: string[] = []): Promise<CommandResult> {
    const result = await swarmInit(node, extraArgs);
    this.initialised = true;
    return result;
  }

  /** The swarm's real join token for `role`, from the primary manager. */
  joinToken(role: NodeRole): Promise<string> {
    return joinToken(this.primary, role);
  }

  /** `docker swarm join` of `node` as `role`, with the real token, to the primary manager. */
  async joinSwarm(node: StartedSwarmNode, role: NodeRole): Promise<CommandResult> {
    return swarmJoin(node, await this.joinToken(role), this.primary);
  }

  /** init on the first manager, then joins with real tokens; waits until all are Ready. */
  async formSwarm(): Promise<void> {
    this.initialised = true;
    await formAsNodesStart(
      this.members.map((n) => n.spec),
      this.members.map((n) => Promise.resolve(n)),
    );
    // Handed over once every node is Ready. ingress and docker_gwbridge show up on a
    // node about 2 s later; steps that look at them poll, as a person would re-run.
    await this.waitForReadyNodes();
  }

  /**
   * A rolling upgrade's replacement: the node's container goes, a new one on `engine`
   * takes its name and address and joins with a real token; the old, Down entry is
   * removed from the swarm.
   */
  async replaceNode(name: string, engine: string): Promise<StartedSwarmNode> {
    const old = this.node(name);
    const oldId = await old.swarmNodeId();
    await old.stop();
    const fresh = await startNode(this.site, { ...old.spec, engine });
    this.members[this.members.indexOf(old)] = fresh;
    const manager = this.managers.find((m) => m !== fresh) ?? this.primary;
    await this.untilNodeList(
      `${name}'s old entry to be Down`,
      (list) => list.some((n) => n.ID === oldId && n.Status === "Down"),
      { timeoutMs: DEADLINE_MS.replacedNodeDown },
      manager,
    );
    await manager.dockerOk(["node", "rm", "--force", oldId]);
    await swarmJoin(fresh, await joinToken(manager, fresh.role), manager);
    await this.waitForReadyNodes();
    return fresh;
  }

  /**
   * An in-place upgrade (or downgrade), the way a package upgrade does it: the node's
   * dockerd stops gracefully, the node goes, and it starts again on `to` (another
   * engine's image or root, another UML kernel) with the same name, hostname, lab
   * address and Docker state. Done when the swarm reports the same node id Ready on
   * the engine the node now runs.
   */
  async upgradeInPlace(name: string, to: Partial<Pick<NodeSpec, "engine" | "kernel">>): Promise<InPlaceUpgrade> {
    const old = this.node(name);
    const spec = { ...old.spec, ...to };
    // The image first: a build must not lengthen the node's downtime.
    await this.site.prepare(spec);
    const [id, from] = await Promise.all([old.swarmNodeId(), old.engineVersion()]);
    this.markDamaged(`${name} was upgraded in place`);
    const stopping = performance.now();
    await old.stopDaemonForUpgrade();
    const state = await old.stopKeepingState();
    this.markLost(name);
    const leaderWhileDown = await this.leaderSeenWithout(old);
    const fresh = await this.site.start(spec, state);
    this.members[this.members.indexOf(old)] = fresh;
    this.lost.delete(name);
    const answered = performance.now();
    const now = await fresh.engineVersion();
    const ready = (timeoutMs: number) =>
      this.untilNodeList(
        `${name} (node ${id}) Ready on engine ${now} in 'docker node ls'`,
        (list) => list.some((n) => n.ID === id && n.Status === "Ready" && n.EngineVersion === now),
        { timeoutMs, intervalMs: INTERVAL_MS.fast },
      );
    let restartedWhileDown = false;
    try {
      await ready(DEADLINE_MS.upgradedNodeDown);
    } catch (error) {
      // Docker sometimes holds a node Down after its new daemon registered (its new
      // version listed): what an operator does then is restart the daemon once. Said
      // in the upgrade's report (docs/known-issues.md), never done silently.
      const list = await this.nodeList();
      const held = list.some((n) => n.ID === id && n.Status === "Down" && n.EngineVersion === now);
      if (!(error instanceof PollTimeoutError) || !held) throw error;
      progress(`${name} is listed Down on ${now} after its daemon registered: restarting its daemon once`);
      await fresh.restartDaemon({ wipe: false });
      restartedWhileDown = true;
      await ready(DEADLINE_MS.upgradedNodeReady);
    }
    return {
      restartedWhileDown,
      node: fresh,
      from,
      to: now,
      kinds: { from: old.kind, to: fresh.kind },
      daemonDownMs: answered - stopping,
      readyAfterMs: performance.now() - answered,
      leaderWhileDown,
    };
  }

  /** The leader as another live manager reports it while `down` is away; polls through an election. */
  private async leaderSeenWithout(down: StartedSwarmNode): Promise<string | undefined> {
    const other = this.managers.find((m) => m !== down && !this.lost.has(m.name));
    if (!other) return undefined;
    const list = await this.untilNodeList(
      `a Leader in 'docker node ls' on ${other.name} while ${down.name} is down`,
      (entries) => entries.some((n) => n.ManagerStatus === "Leader"),
      { timeoutMs: DEADLINE_MS.convergence, intervalMs: INTERVAL_MS.fast },
      other,
    );
    return list.find((n) => n.ManagerStatus === "Leader")?.Hostname;
  }

  /** The swarm's VXLAN UDP port (4789 unless `swarm init --data-path-port` said otherwise). */
  async dataPathPort(): Promise<number> {
    const configured = (
      await this.primary.dockerOk(["info", "--format", "{{.Swarm.Cluster.DataPathPort}}"])
    ).stdout.trim();
    return Number(configured) || PORTS.vxlanDefault;
  }

  async nodeList(from: StartedSwarmNode = this.primary): Promise<NodeListEntry[]> {
    return parseNodeList((await from.dockerOk(["node", "ls", "--format", "{{json .}}"])).stdout);
  }

  async waitForReadyNodes(count = this.nodes.length): Promise<NodeListEntry[]> {
    return this.untilNodeList(
      `${count} Ready nodes in 'docker node ls'`,
      (list) => list.filter((n) => n.Status === "Ready").length === count,
      { timeoutMs: DEADLINE_MS.readyNodes, intervalMs: INTERVAL_MS.fast },
    );
  }

  /** Polls `docker node ls` on `from` until `accept` says yes; a timeout shows the list one line a node. */
  async untilNodeList(
    what: string,
    accept: (list: NodeListEntry[]) => boolean,
    options: PollOptions,
    from: StartedSwarmNode = this.primary,
  ): Promise<NodeListEntry[]> {
    return pollUntil(what, () => this.nodeList(from), accept, { ...options, describe: describeNodeList });
  }

  async stop(): Promise<void> {
    await Promise.allSettled(this.nodes.map((n) => n.stop()));
    await this.site.remove();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }
}
