// One swarm node: a Docker-in-Docker container on the lab network. Builder
// (SwarmNodeContainer) → started object (StartedSwarmNode) with domain methods.
import { AbstractStartedContainer, GenericContainer, type StartedTestContainer } from "testcontainers";
import { containerLogTail } from "./container-logs.js";
import type { WorkloadArchive } from "./images/catalogue.js";
import { IN_NODE_ARCHIVE } from "./images/catalogue.js";
import { runLabels } from "./labels.js";
import { pollUntil } from "./poll.js";
import type { PrivilegeMode } from "./privilege.js";

// Ryuk needs a registry pull; swarmnet removes its containers itself (cleanup.ts).
process.env.TESTCONTAINERS_RYUK_DISABLED ??= "true";

export type NodeRole = "manager" | "worker";

export interface NodeSpec {
  name: string;
  role: NodeRole;
  /** Engine line name, e.g. "20.10". */
  engine: string;
  /** Address on the lab network, also the swarm advertise address. */
  address: string;
}

export interface CommandResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export class NodeCommandError extends Error {
  constructor(node: string, command: string[], result: CommandResult) {
    super(
      `On ${node}, \`${command.join(" ")}\` exited ${result.exitCode}.\n` +
        `stderr: ${result.stderr.trim() || "(empty)"}\nstdout: ${result.stdout.trim() || "(empty)"}`,
    );
    this.name = "NodeCommandError";
  }
}

export class SwarmNodeContainer extends GenericContainer {
  constructor(
    image: string,
    private readonly spec: NodeSpec,
    private readonly labNetwork: string,
    privilege: PrivilegeMode,
    private readonly workloads: WorkloadArchive,
  ) {
    super(image);
    this.withName(`swarmnet-${spec.name}-${runLabels()["io.swarmnet.run"]}`)
      .withHostname(spec.name)
      .withLabels({ ...runLabels(), "io.swarmnet.node": spec.name })
      .withNetworkMode(labNetwork)
      // Overlay-on-overlay fails; a tmpfs gives the inner daemon overlay2.
      .withTmpFs({ "/var/lib/docker": "rw,exec" })
      .withBindMounts([{ source: workloads.hostPath, target: IN_NODE_ARCHIVE, mode: "ro" }]);
    if (privilege === "privileged") {
      this.withPrivilegedMode();
    } else {
      this.withAddedCapabilities("ALL")
        .withDroppedCapabilities("SYS_RESOURCE")
        .withSecurityOpt("seccomp=unconfined", "apparmor=unconfined");
    }
  }

  protected override async beforeContainerCreated(): Promise<void> {
    this.createOpts.NetworkingConfig = {
      EndpointsConfig: { [this.labNetwork]: { IPAMConfig: { IPv4Address: this.spec.address } } },
    };
  }

  override async start(): Promise<StartedSwarmNode> {
    const node = new StartedSwarmNode(await super.start(), this.spec);
    try {
      await node.waitForDaemon();
      await node.shOk(this.workloads.loadCommand);
    } catch (error) {
      const logs = await node.daemonLogTail(30).catch(() => "(no logs)");
      await node.stop();
      throw new Error(`Node ${this.spec.name} did not come up: ${String(error)}\n--- daemon log tail ---\n${logs}`, { cause: error });
    }
    return node;
  }
}

export class StartedSwarmNode extends AbstractStartedContainer {
  constructor(
    started: StartedTestContainer,
    readonly spec: NodeSpec,
  ) {
    super(started);
  }

  get name(): string {
    return this.spec.name;
  }

  get role(): NodeRole {
    return this.spec.role;
  }

  get address(): string {
    return this.spec.address;
  }

  /** Runs a command in the node (not in a task): exit code and both streams. */
  async run(command: string[]): Promise<CommandResult> {
    const { exitCode, stdout, stderr } = await this.exec(command);
    return { exitCode, stdout, stderr };
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

  /** `docker <kind> inspect <name>` as parsed JSON (the first object). */
  async inspect<T = Record<string, unknown>>(kind: "network" | "service" | "node" | "container", name: string): Promise<T> {
    const { stdout } = await this.dockerOk([kind, "inspect", name]);
    return (JSON.parse(stdout) as T[])[0];
  }

  inspectNetwork<T = Record<string, unknown>>(name: string): Promise<T> {
    return this.inspect<T>("network", name);
  }

  /** The engine version the node really runs, read from its daemon. */
  async engineVersion(): Promise<string> {
    return (await this.dockerOk(["version", "--format", "{{.Server.Version}}"])).stdout.trim();
  }

  async waitForDaemon(): Promise<void> {
    // `docker version`, not `docker info`: from CLI 26 on, `info --format` exits 0 without a daemon.
    await pollUntil(`the docker daemon on ${this.name}`, () => this.docker(["version", "--format", "{{.Server.Version}}"]), (r) => r.exitCode === 0 && r.stdout.trim() !== "", {
      timeoutMs: 60_000,
      intervalMs: 100,
    });
  }

  /**
   * Restarts the node's dockerd (the container stays). With `wipe`, the daemon comes
   * back without swarm and network state but with its images: a fresh node.
   */
  async restartDaemon({ wipe }: { wipe: boolean }): Promise<void> {
    const oldPid = (await this.runOk(["cat", "/var/run/docker.pid"])).stdout.trim();
    // A graceful stop, then SIGKILL if dockerd has not gone after 10 s (the entrypoint
    // undoes what the graceful stop would have). Killing a daemon about to be wiped
    // outright saved 0.9 s a reset, but under two cucumber workers its overlay's VXLAN
    // device sometimes outlived it and the next swarm's tasks failed with "error
    // creating vxlan interface: file exists".
    await this.shOk(
      `touch /run/swarmnet-restart ${wipe ? "/run/swarmnet-wipe" : ""} && kill ${oldPid}; ` +
        `for i in $(seq 100); do kill -0 ${oldPid} 2>/dev/null || exit 0; sleep 0.1; done; ` +
        `echo "swarmnet: dockerd ${oldPid} ignored SIGTERM for 10s, killing it" >&2; kill -9 ${oldPid}`,
    );
    try {
      await pollUntil(
        `dockerd on ${this.name} to restart (old pid ${oldPid})`,
        // docker.pid has no trailing newline: echo gives it one.
        () => this.run(["sh", "-c", "echo $(cat /var/run/docker.pid) && docker version --format '{{.Server.Version}}'"]),
        (r) => r.exitCode === 0 && r.stdout.split("\n")[0].trim() !== oldPid && r.stdout.split("\n")[1]?.trim() !== "",
        { timeoutMs: 20_000, intervalMs: 100 },
      );
    } catch (error) {
      throw new Error(`${String(error)}\n--- daemon log tail (${this.name}) ---\n${await this.daemonLogTail(25)}`, { cause: error });
    }
  }

  /** `docker swarm init --advertise-addr <address> --listen-addr 0.0.0.0`, plus extra options. */
  swarmInit(extraArgs: string[] = []): Promise<CommandResult> {
    return this.dockerOk(["swarm", "init", "--advertise-addr", this.address, "--listen-addr", "0.0.0.0", ...extraArgs]);
  }

  async joinToken(role: NodeRole): Promise<string> {
    return (await this.dockerOk(["swarm", "join-token", "-q", role])).stdout.trim();
  }

  swarmJoin(token: string, managerAddress: string): Promise<CommandResult> {
    return this.dockerOk(["swarm", "join", "--token", token, "--advertise-addr", this.address, `${managerAddress}:2377`]);
  }

  daemonLogTail(lines: number): Promise<string> {
    return containerLogTail(this.getId(), lines);
  }

}
