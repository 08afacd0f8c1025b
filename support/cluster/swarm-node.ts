// One swarm node, whatever it is made of: a Docker-in-Docker container on the lab
// network (container-node.ts) or a User-Mode Linux kernel of its own on a lab bridge
// (uml-node.ts). Steps and the swarm layer see only this class: commands reach the
// node's own daemon through its command channel; nothing is published on a host port.
import { dockerChains } from "../text/iptables-save.js";
import { SwarmnetError } from "../run/errors.js";
import { DEADLINE_MS, INTERVAL_MS, LOG_TAIL_LINES } from "../run/limits.js";
import { pollUntil } from "../run/poll.js";
import type { CommandChannel, CommandResult } from "./command-channel.js";

export type NodeRole = "manager" | "worker";

export const NODE_ROLES: readonly NodeRole[] = ["manager", "worker"];

export interface NodeSpec {
  name: string;
  role: NodeRole;
  /** Engine line name, e.g. "20.10". */
  engine: string;
  /** Kernel line of a UML node, e.g. "6.12" (the run's default without one). */
  kernel?: string;
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
 * pid is not `notPid`); prints its version, or exits 1 after about 5 s: one round trip
 * to the node per 5 s instead of one per sample.
 */
export function daemonAnswersCommand(notPid = ""): string[] {
  const newDaemon = notPid ? `[ "$(cat /var/run/docker.pid 2>/dev/null)" != "${notPid}" ] && ` : "";
  return [
    "sh",
    "-c",
    `for i in $(seq ${IN_NODE_WAIT_SAMPLES}); do ` +
      `${newDaemon}v=$(timeout 10 docker version --format '{{.Server.Version}}' 2>/dev/null) ` +
      `&& [ -n "$v" ] && { echo "$v"; exit 0; }; sleep 0.1; done; exit 1`,
  ];
}

/** A node's Docker state kept across its stop, for the node that takes its place. */
export interface NodeState {
  remove(): Promise<void>;
}

export type PowerOff = "clean" | "cut";

/**
 * How a person reaches a node from this machine after the run (a cluster kept after a
 * failure): a container by `docker exec`; a UML node's agent dials its channel
 * address until something there greets it with this boot's id (`npm run node`).
 */
export type NodeAccess = { container: string } | { channel: string; boot: string };

export abstract class StartedSwarmNode {
  /** How long the node took to start: its daemon answering, then its workload images there. */
  readonly startup = { daemonMs: 0, loadMs: 0 };

  constructor(
    readonly spec: NodeSpec,
    protected readonly commands: CommandChannel,
  ) {}

  /** What the node is made of: "container", or "UML <kernel version>". */
  abstract get kind(): string;

  abstract get access(): NodeAccess;

  /** Stops the node and removes it, its state with it. */
  abstract stop(): Promise<void>;

  /** Stops the node and removes it; its state stays, for the engine that comes next (upgradeInPlace). */
  abstract stopKeepingState(): Promise<NodeState>;

  /** Takes the node off its lab network (a cable pulled), or puts it back. */
  abstract setPlugged(plugged: boolean): Promise<void>;

  /** Turns the node off: "clean" as a shutdown does (dockerd stopped first), "cut" as a power cut. */
  abstract powerOff(how: PowerOff): Promise<void>;

  /** Powers the node on again after powerOff, on the disks it had; resolves once its dockerd answers. */
  abstract bootAgain(): Promise<void>;

  /** The last lines dockerd wrote. */
  abstract daemonLogTail(lines: number): Promise<string>;

  /**
   * The last lines the node's own kernel wrote (stalls, OOM kills, hung tasks), read
   * on this machine so that a node that answers nothing still tells; undefined where
   * the node has no kernel of its own.
   */
  kernelLogTail(_lines: number): Promise<string | undefined> {
    return Promise.resolve(undefined);
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
    // undoes what the graceful stop would have). Not a kill outright: a killed daemon's
    // VXLAN device can outlive it and hold its VNI (docs/known-issues.md). Prints the old pid.
    const oldPid = (
      await this.shOk(
        `pid=$(cat /var/run/docker.pid) && echo "$pid" && ` +
          `touch /run/swarmnet-restart ${wipe ? "/run/swarmnet-wipe" : ""} && kill "$pid" || exit 1; ` +
          `for i in $(seq 100); do kill -0 "$pid" 2>/dev/null || exit 0; sleep 0.1; done; ` +
          `echo "swarmnet: dockerd $pid ignored SIGTERM for 10s, killing it" >&2; ` +
          // It may have gone by itself between the last check and the kill: that is fine.
          `kill -9 "$pid" 2>/dev/null || ! kill -0 "$pid" 2>/dev/null`,
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
}
