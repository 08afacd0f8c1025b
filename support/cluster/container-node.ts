// A swarm node made of a Docker-in-Docker container on the lab network. Builder
// (SwarmNodeContainer, fluent with... methods) → StartedContainerNode, whose
// commands go through one exec into the container.
import { performance } from "node:perf_hooks";
import type Dockerode from "dockerode";
import {
  GenericContainer,
  getContainerRuntimeClient,
  type StartedTestContainer,
  type WaitStrategy,
} from "testcontainers";
import { containerLogTail } from "../host/container-logs.js";
import { outerDocker } from "../host/docker-host.js";
import { IN_NODE_ARCHIVE, type WorkloadArchive } from "../host/images/catalogue.js";
import { runLabels } from "../host/labels.js";
import type { HostEnvironment } from "../host/harness.js";
import { startLabNetwork, type StartedLabNetwork } from "../host/lab-network.js";
import { createNodeStateVolume, NODE_STATE_PATH, type NodeStateVolume } from "../host/node-state.js";
import type { PrivilegeMode } from "../host/privilege.js";
import type { IptablesBackend } from "../run/config.js";
import { DEADLINE_MS, INTERVAL_MS, LOG_TAIL_LINES } from "../run/limits.js";
import { pollUntil } from "../run/poll.js";
import { execChannel } from "./command-channel.js";
import type { NodeSite } from "./node-site.js";
import {
  NodeStartError,
  StartedSwarmNode,
  daemonAnswersCommand,
  type NodeSpec,
  type NodeState,
  type PowerOff,
  type NodeAccess,
} from "./swarm-node.js";

// Ryuk needs a registry pull; swarmnet removes its containers itself (host/cleanup.ts).
process.env.TESTCONTAINERS_RYUK_DISABLED ??= "true";

/**
 * Ready when the inner dockerd answers. On timeout the error carries the node's
 * log tail (testcontainers removes a container that never got ready).
 */
export class DaemonAnswersWaitStrategy implements WaitStrategy {
  private timeoutMs: number = DEADLINE_MS.daemonStart;
  private timeoutSet = false;

  constructor(private readonly nodeName: string) {}

  withStartupTimeout(startupTimeoutMs: number): this {
    this.timeoutMs = startupTimeoutMs;
    this.timeoutSet = true;
    return this;
  }

  isStartupTimeoutSet(): boolean {
    return this.timeoutSet;
  }

  getStartupTimeout(): number {
    return this.timeoutMs;
  }

  async waitUntilReady(container: Dockerode.Container): Promise<void> {
    const client = await getContainerRuntimeClient();
    try {
      await pollUntil(
        `the docker daemon on ${this.nodeName}`,
        () => client.container.exec(container, daemonAnswersCommand(), { log: false }),
        (r) => r.exitCode === 0 && r.stdout.trim() !== "",
        { timeoutMs: this.timeoutMs, intervalMs: INTERVAL_MS.fast },
      );
    } catch (error) {
      const logs = await containerLogTail(container.id, LOG_TAIL_LINES.nodeStartFailure).catch(() => "(no logs)");
      throw new NodeStartError(
        `Node ${this.nodeName} did not come up: ${String(error)}\n--- node log tail ---\n${logs}`,
        {
          cause: error,
        },
      );
    }
  }
}

export class SwarmNodeContainer extends GenericContainer {
  private labNetwork?: StartedLabNetwork;
  private dataNetwork?: StartedLabNetwork;
  private workloads?: WorkloadArchive;
  private stateVolume?: NodeStateVolume;
  private stateDirectory?: string;

  constructor(
    image: string,
    private readonly spec: NodeSpec,
  ) {
    super(image);
    this.withName(`swarmnet-${spec.name}-${runLabels()["io.swarmnet.run"]}`)
      .withHostname(spec.name)
      .withLabels({ ...runLabels(), "io.swarmnet.node": spec.name })
      .withWaitStrategy(new DaemonAnswersWaitStrategy(spec.name))
      .withStartupTimeout(DEADLINE_MS.daemonStart);
  }

  /** The lab network the node sits on, at its spec's address. */
  withLabNetwork(network: StartedLabNetwork): this {
    this.labNetwork = network;
    if (network.dns) {
      // The node's names, and its tasks' (the inner daemon's --dns), from the lab's
      // own name server: answered at once, and nothing leaves this machine.
      this.hostConfig.Dns = [network.dns.server];
      this.withEnvironment({ SWARMNET_DOCKERD_ARGS: `--dns ${network.dns.server}` });
    }
    return this.withNetworkMode(network.name);
  }

  /**
   * The node's Docker state on a volume that outlives this container (an in-place
   * upgrade starts another engine on it). Without one, the state is a tmpfs that dies
   * with the container: overlay-on-overlay fails, so either gives the inner daemon overlay2.
   */
  withStateVolume(volume: NodeStateVolume): this {
    this.stateVolume = volume;
    return this;
  }

  /** The node's Docker state in a directory of this machine (to make a UML data image from). */
  withStateDirectory(directory: string): this {
    this.stateDirectory = directory;
    return this.withBindMounts([{ source: directory, target: NODE_STATE_PATH }]);
  }

  /** A second network, joined at the spec's dataAddress once the container runs (API 1.41 creates with one). */
  withDataNetwork(network: StartedLabNetwork): this {
    if (!this.spec.dataAddress) throw new NodeStartError(`Node ${this.spec.name} has no data network address.`);
    this.dataNetwork = network;
    return this;
  }

  /** The iptables backend the entrypoint selects before dockerd starts. */
  withIptables(backend: IptablesBackend): this {
    return this.withEnvironment({ SWARMNET_IPTABLES: backend });
  }

  /** --privileged where the outer daemon allows it, else the capability recipe. */
  withPrivilege(mode: PrivilegeMode): this {
    if (mode === "privileged") return this.withPrivilegedMode();
    return this.withAddedCapabilities("ALL")
      .withDroppedCapabilities("SYS_RESOURCE")
      .withSecurityOpt("seccomp=unconfined", "apparmor=unconfined");
  }

  /**
   * Workload images, loaded into the node's daemon once it answers. The archive is
   * copied in through the Docker API rather than bind-mounted, so that a remote outer
   * daemon (DOCKER_HOST=tcp://..., ssh://..., the UML kernel host) works too.
   */
  withWorkloads(workloads: WorkloadArchive): this {
    this.workloads = workloads;
    return this.withCopyFilesToContainer([{ source: workloads.hostPath, target: IN_NODE_ARCHIVE }]);
  }

  protected override async beforeContainerCreated(): Promise<void> {
    // Without a lab network, the node is no swarm node but a daemon to prepare state with.
    if (this.labNetwork) {
      this.createOpts.NetworkingConfig = {
        EndpointsConfig: { [this.labNetwork.name]: { IPAMConfig: { IPv4Address: this.spec.address } } },
      };
    }
    // A machine boots with an empty /run (a tmpfs): so does a node started again, with
    // no pid file or socket left by a daemon killed while it stopped, whose pid another
    // process of the new boot may hold (then dockerd refuses to start).
    this.hostConfig.Tmpfs = { ...this.hostConfig.Tmpfs, "/run": "rw,exec" };
    if (this.stateDirectory) {
      // Bind-mounted by withStateDirectory.
    } else if (this.stateVolume) {
      this.hostConfig.Mounts = [
        ...(this.hostConfig.Mounts ?? []),
        { Type: "volume", Source: this.stateVolume.name, Target: NODE_STATE_PATH },
      ];
    } else {
      this.hostConfig.Tmpfs = { ...this.hostConfig.Tmpfs, [NODE_STATE_PATH]: "rw,exec" };
    }
  }

  /** Starts the container (start() is testcontainers'), joins the data network and loads the workloads. */
  async startNode(): Promise<StartedContainerNode> {
    const started = performance.now();
    const node = new StartedContainerNode(await this.start(), this.spec, this.labNetwork, this.stateVolume);
    node.startup.daemonMs = performance.now() - started;
    try {
      // withDataNetwork checked that the spec has a data address.
      if (this.dataNetwork) await this.dataNetwork.connect(node.getId(), this.spec.dataAddress as string);
    } catch (error) {
      await node.stop();
      throw new NodeStartError(`Node ${this.spec.name} could not join its data network: ${String(error)}`, {
        cause: error,
      });
    }
    if (!this.workloads) return node;
    try {
      const loading = performance.now();
      await node.shOk(this.workloads.loadCommand);
      node.startup.loadMs = performance.now() - loading;
    } catch (error) {
      await node.stop();
      throw new NodeStartError(`Node ${this.spec.name} could not load the workload images: ${String(error)}`, {
        cause: error,
      });
    }
    return node;
  }
}

export class StartedContainerNode extends StartedSwarmNode {
  constructor(
    private readonly container: StartedTestContainer,
    spec: NodeSpec,
    private readonly labNetwork?: StartedLabNetwork,
    /** Where the node's Docker state lives, if it outlives the container. */
    private readonly stateVolume?: NodeStateVolume,
  ) {
    super(spec, execChannel(outerDocker().getContainer(container.getId()), spec.name));
  }

  get kind(): string {
    return "container";
  }

  get access(): NodeAccess {
    return { container: this.container.getName().replace(/^\//, "") };
  }

  /** The node's container id on the outer daemon. */
  getId(): string {
    return this.container.getId();
  }

  /** Stops and removes the container, and its state volume with it. */
  async stop(): Promise<void> {
    await this.commands.close();
    try {
      await this.container.stop();
    } finally {
      await this.stateVolume?.remove();
    }
  }

  async stopKeepingState(): Promise<NodeState> {
    if (!this.stateVolume) throw new NodeStartError(`${this.name} keeps its state in a tmpfs: it cannot keep it.`);
    await this.commands.close();
    await this.container.stop();
    return this.stateVolume;
  }

  async setPlugged(plugged: boolean): Promise<void> {
    if (!this.labNetwork) throw new NodeStartError(`${this.name} has no lab network to be plugged into.`);
    if (plugged) await this.labNetwork.connect(this.getId(), this.address);
    else await this.labNetwork.disconnect(this.getId());
  }

  /** stop: SIGTERM to the node's init, which passes it to dockerd (a clean shutdown); cut: SIGKILL. */
  async powerOff(how: PowerOff): Promise<void> {
    const container = outerDocker().getContainer(this.getId());
    await (how === "clean" ? container.stop({ t: 10 }) : container.kill());
  }

  /** The container started again: its entrypoint starts dockerd on the same state volume. */
  async bootAgain(): Promise<void> {
    await outerDocker().getContainer(this.getId()).start();
    try {
      await pollUntil(
        `the docker daemon on ${this.name} after it started again`,
        () => this.run(daemonAnswersCommand()),
        (r) => r.exitCode === 0 && r.stdout.trim() !== "",
        { timeoutMs: DEADLINE_MS.daemonStart, intervalMs: INTERVAL_MS.fast },
      );
    } catch (error) {
      // The node is not among the live ones the failure's diagnostics ask: its log goes here.
      const tail = await this.daemonLogTail(LOG_TAIL_LINES.nodeStartFailure).catch(() => "(no logs)");
      throw new NodeStartError(`${String(error)}\n--- ${this.name}'s container log ---\n${tail}`, { cause: error });
    }
  }

  daemonLogTail(lines: number): Promise<string> {
    return containerLogTail(this.getId(), lines);
  }
}

/** The lab network (and the data network, with `dataSubnet`) on the outer daemon, and nodes on them. */
export async function containerSite(host: HostEnvironment, dataSubnet?: string): Promise<NodeSite> {
  const lab = await startLabNetwork(host.labSubnet);
  let data: StartedLabNetwork | undefined;
  try {
    if (dataSubnet) data = await startLabNetwork(dataSubnet);
  } catch (error) {
    await lab.remove();
    throw error;
  }
  return {
    prepare: async (spec) => void (await host.nodeImage(spec.engine)),
    newState: (spec) => createNodeStateVolume(spec.name),
    async start(spec, state) {
      try {
        if (!isVolume(state)) throw new NodeStartError(`${spec.name}: a container node keeps its state on a volume.`);
        const container = new SwarmNodeContainer(await host.nodeImage(spec.engine), spec).withLabNetwork(lab);
        if (data) container.withDataNetwork(data);
        return await container
          .withPrivilege(host.privilege)
          .withIptables(host.iptables)
          .withStateVolume(state)
          .withWorkloads(host.workloads)
          .startNode();
      } catch (error) {
        await state.remove();
        throw error;
      }
    },
    async remove() {
      await data?.remove();
      await lab.remove();
    },
  };
}

function isVolume(state: NodeState): state is NodeStateVolume {
  return typeof (state as Partial<NodeStateVolume>).name === "string";
}
