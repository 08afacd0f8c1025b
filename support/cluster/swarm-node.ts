// One swarm node: a Docker-in-Docker container on the lab network. Builder
// (SwarmNodeContainer, fluent with... methods) → StartedSwarmNode, whose methods
// reach the node's own daemon by exec; nothing is published on a host port.
import { dockerChains } from "../text/iptables-save.js";
import { performance } from "node:perf_hooks";
import type Dockerode from "dockerode";
import {
  AbstractStartedContainer,
  GenericContainer,
  getContainerRuntimeClient,
  type StartedTestContainer,
  type StopOptions,
  type StoppedTestContainer,
  type WaitStrategy,
} from "testcontainers";
import { outerDocker } from "../host/docker-host.js";
import { containerLogTail } from "../host/container-logs.js";
import { CommandChannel, type CommandResult } from "./command-channel.js";
import { IN_NODE_ARCHIVE, type WorkloadArchive } from "../host/images/catalogue.js";
import { runLabels } from "../host/labels.js";
import type { StartedLabNetwork } from "../host/lab-network.js";
import { NODE_STATE_PATH, type NodeStateVolume } from "../host/node-state.js";
import type { PrivilegeMode } from "../host/privilege.js";
import type { IptablesBackend } from "../run/config.js";
import { SwarmnetError } from "../run/errors.js";
import { DEADLINE_MS, INTERVAL_MS, LOG_TAIL_LINES } from "../run/limits.js";
import { pollUntil } from "../run/poll.js";

// Ryuk needs a registry pull; swarmnet removes its containers itself (host/cleanup.ts).
process.env.TESTCONTAINERS_RYUK_DISABLED ??= "true";

export type NodeRole = "manager" | "worker";

export const NODE_ROLES: readonly NodeRole[] = ["manager", "worker"];

export interface NodeSpec {
  name: string;
  role: NodeRole;
  /** Engine line name, e.g. "20.10". */
  engine: string;
  /** Address on the lab network, also the swarm advertise address. */
  address: string;
  /** Address on the cluster's data network, where it has one: the swarm's --data-path-addr. */
  dataAddress?: string;
}

export type { CommandResult };

export class NodeCommandError extends SwarmnetError {
  constructor(node: string, command: string[], result: CommandResult) {
    super(
      `On ${node}, \`${command.join(" ")}\` exited ${result.exitCode}.\n` +
        `stderr: ${result.stderr.trim() || "(empty)"}\nstdout: ${result.stdout.trim() || "(empty)"}`,
    );
  }
}

export class NodeStartError extends SwarmnetError {}

/** `docker version`, not `docker info`: from CLI 26 on, `info --format` exits 0 without a daemon. */
const DAEMON_VERSION = ["docker", "version", "--format", "{{.Server.Version}}"];

/** How long one in-node wait (below) samples before it hands back to the caller's deadline. */
const IN_NODE_WAIT_SAMPLES = 50;

/**
 * Waits inside the node, sampling every 0.1 s, for a daemon that answers (and whose
 * pid is not `notPid`); prints its version, or exits 1 after about 5 s. One exec per
 * 5 s instead of one per sample: an exec takes 2-3 s on the UML kernel host (its
 * set-up times did not change measurably, but nothing is gained by more execs).
 */
function daemonAnswersCommand(notPid = ""): string[] {
  const newDaemon = notPid ? `[ "$(cat /var/run/docker.pid 2>/dev/null)" != "${notPid}" ] && ` : "";
  return [
    "sh",
    "-c",
    `for i in $(seq ${IN_NODE_WAIT_SAMPLES}); do ` +
      `${newDaemon}v=$(timeout 10 docker version --format '{{.Server.Version}}' 2>/dev/null) ` +
      `&& [ -n "$v" ] && { echo "$v"; exit 0; }; sleep 0.1; done; exit 1`,
  ];
}

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
  private labNetwork?: string;
  private dataNetwork?: StartedLabNetwork;
  private workloads?: WorkloadArchive;
  private stateVolume?: NodeStateVolume;

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
  withLabNetwork(network: string): this {
    this.labNetwork = network;
    return this.withNetworkMode(network);
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
    if (!this.labNetwork) throw new NodeStartError(`Node ${this.spec.name} has no lab network: call withLabNetwork().`);
    this.createOpts.NetworkingConfig = {
      EndpointsConfig: { [this.labNetwork]: { IPAMConfig: { IPv4Address: this.spec.address } } },
    };
    if (this.stateVolume) {
      this.hostConfig.Mounts = [
        ...(this.hostConfig.Mounts ?? []),
        { Type: "volume", Source: this.stateVolume.name, Target: NODE_STATE_PATH },
      ];
    } else {
      this.hostConfig.Tmpfs = { ...this.hostConfig.Tmpfs, [NODE_STATE_PATH]: "rw,exec" };
    }
  }

  override async start(): Promise<StartedSwarmNode> {
    const started = performance.now();
    const node = new StartedSwarmNode(await super.start(), this.spec, this.stateVolume);
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

export class StartedSwarmNode extends AbstractStartedContainer {
  /** How long the node took to start: container and daemon, then loading the workload images. */
  readonly startup = { daemonMs: 0, loadMs: 0 };
  private readonly commands: CommandChannel;

  constructor(
    started: StartedTestContainer,
    readonly spec: NodeSpec,
    /** Where the node's Docker state lives, if it outlives the container. */
    readonly stateVolume?: NodeStateVolume,
  ) {
    super(started);
    this.commands = new CommandChannel(outerDocker().getContainer(started.getId()), spec.name);
  }

  get name(): string {
    return this.spec.name;
  }

  /** Stops and removes the container, and its state volume with it. */
  override async stop(options?: Partial<StopOptions>): Promise<StoppedTestContainer> {
    await this.commands.close();
    try {
      return await super.stop(options);
    } finally {
      await this.stateVolume?.remove();
    }
  }

  /** Stops and removes the container; its state volume stays, for the engine that comes next. */
  async stopKeepingState(): Promise<StoppedTestContainer> {
    await this.commands.close();
    return super.stop();
  }

  get role(): NodeRole {
    return this.spec.role;
  }

  get address(): string {
    return this.spec.address;
  }

  /** Runs a command in the node (not in a task): exit code and both streams. */
  run(command: string[]): Promise<CommandResult> {
    return this.commands.run(command);
  }

  async runOk(command: string[]): Promise<CommandResult> {
    const result = await this.run(command);
    if (result.exitCode !== 0) throw new NodeCommandError(this.name, command, result);
    return result;
  }

  /** Runs the node's docker CLI: `docker(["network", "ls"])`. */
  docker(args: string[]): Promise<CommandResult> {
    return this.run(["docker", ...args]);
  }

  dockerOk(args: string[]): Promise<CommandResult> {
    return this.runOk(["docker", ...args]);
  }

  shOk(script: string): Promise<CommandResult> {
    return this.runOk(["sh", "-c", script]);
  }

  /** Non-empty output lines of a docker command that must succeed. */
  async dockerLines(args: string[]): Promise<string[]> {
    return (await this.dockerOk(args)).stdout.split("\n").filter(Boolean);
  }

  /** `docker <kind> inspect <name>` as parsed JSON (the first object). */
  async inspect<T = Record<string, unknown>>(
    kind: "network" | "service" | "node" | "container",
    name: string,
  ): Promise<T> {
    const { stdout } = await this.dockerOk([kind, "inspect", name]);
    return (JSON.parse(stdout) as T[])[0];
  }

  /** The iptables backend the node's daemon uses, from `iptables --version` ("v1.8.9 (nf_tables)"). */
  async iptablesBackend(): Promise<string> {
    const version = (await this.runOk(["iptables", "--version"])).stdout;
    return /\(nf_tables\)/.test(version) ? "nft" : /\(legacy\)/.test(version) ? "legacy" : version.trim();
  }

  /**
   * Docker's chains as each iptables backend holds them on the node (filter and nat
   * tables): where dockerd really put its rules, whatever `iptables` points at.
   */
  async dockerChainsByBackend(): Promise<Record<"nft" | "legacy", string[]>> {
    const chains = async (save: string) => {
      const tables = await Promise.all(["filter", "nat"].map((t) => this.runOk([save, "-t", t])));
      return tables.flatMap((r) => dockerChains(r.stdout)).sort();
    };
    const [nft, legacy] = await Promise.all([chains("iptables-nft-save"), chains("iptables-legacy-save")]);
    return { nft, legacy };
  }

  /** The engine version the node really runs, read from its daemon. */
  async engineVersion(): Promise<string> {
    return (await this.runOk(DAEMON_VERSION)).stdout.trim();
  }

  /** The node's id in the swarm ("" outside one). */
  async swarmNodeId(): Promise<string> {
    return (await this.dockerOk(["info", "--format", "{{.Swarm.NodeID}}"])).stdout.trim();
  }

  /**
   * Restarts the node's dockerd (the container stays). With `wipe`, the daemon comes
   * back without swarm and network state but with its images: a fresh node.
   */
  async restartDaemon({ wipe }: { wipe: boolean }): Promise<void> {
    // A graceful stop, then SIGKILL if dockerd has not gone after 10 s (the entrypoint
    // undoes what the graceful stop would have). Killing a daemon about to be wiped
    // outright saved 0.9 s a reset, but under two cucumber workers its overlay's VXLAN
    // device sometimes outlived it and the next swarm's tasks failed with "error
    // creating vxlan interface: file exists". Prints the old pid.
    const oldPid = (
      await this.shOk(
        `pid=$(cat /var/run/docker.pid) && echo "$pid" && ` +
          `touch /run/swarmnet-restart ${wipe ? "/run/swarmnet-wipe" : ""} && kill "$pid" || exit 1; ` +
          `for i in $(seq 100); do kill -0 "$pid" 2>/dev/null || exit 0; sleep 0.1; done; ` +
          `echo "swarmnet: dockerd $pid ignored SIGTERM for 10s, killing it" >&2; kill -9 "$pid"`,
      )
    ).stdout.trim();
    try {
      await pollUntil(
        `dockerd on ${this.name} to restart (old pid ${oldPid})`,
        () => this.run(daemonAnswersCommand(oldPid)),
        (r) => r.exitCode === 0 && r.stdout.trim() !== "",
        { timeoutMs: DEADLINE_MS.daemonRestart, intervalMs: INTERVAL_MS.fast },
      );
    } catch (error) {
      const tail = await this.daemonLogTail(LOG_TAIL_LINES.daemonRestartFailure);
      throw new NodeCommandError(this.name, ["restart dockerd"], { exitCode: -1, stdout: tail, stderr: String(error) });
    }
  }

  /**
   * Stops dockerd gracefully and keeps it stopped (the entrypoint then idles), as
   * `systemctl stop docker` does before a package upgrade: tasks are stopped and the
   * state on the volume is closed cleanly.
   */
  async stopDaemonForUpgrade(): Promise<void> {
    const pid = (await this.shOk("touch /run/swarmnet-hold && cat /var/run/docker.pid && echo")).stdout.trim();
    await this.runOk(["kill", pid]);
    await pollUntil(
      `dockerd ${pid} on ${this.name} to stop`,
      () => this.run(["kill", "-0", pid]),
      (r) => r.exitCode !== 0,
      { timeoutMs: DEADLINE_MS.daemonStop, intervalMs: INTERVAL_MS.fast },
    );
  }

  daemonLogTail(lines: number): Promise<string> {
    return containerLogTail(this.getId(), lines);
  }
}
