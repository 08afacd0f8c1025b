// What a step leaves for later steps of the same scenario, each kind with the step
// that leaves it, so that a step used before its setup fails saying which step to
// use first (one helper instead of a guard in every step).
import type { VniCycles } from "../support/cluster/vni-teardown.js";
import type { CommandResult } from "../support/cluster/swarm-node.js";
import type { HttpWatchFleet, HttpWatchResult } from "../support/probes/http-watch.js";
import type { RestartRound } from "../support/swarm/auto-start.js";
import type { SwarmRecord } from "../support/swarm/swarm-record.js";

export interface LastCommand {
  node: string;
  command: string;
  result: CommandResult;
}

export interface OverlayCycle {
  network: string;
  subnet: string;
  overlaps: string[];
}

/** Kinds of memory, and what each holds. */
export interface Remembered {
  "last command": LastCommand;
  "watched HTTP": HttpWatchResult;
  "watching clients": HttpWatchFleet;
  "cycled overlays": OverlayCycle[];
  "VXLAN device cycles": VniCycles;
  "swarm record": SwarmRecord;
  /** By "<service> on <network>". */
  "noted addresses": string[];
  /** By how it was sent: "injected into <network>", "sent on <network>". */
  "sent payload": string;
  /** By service: its virtual IPs when noted. */
  "noted virtual IPs": string[];
  /** By container: how it came back after each of its node's daemon restarts. */
  "restart rounds": { node: string; rounds: RestartRound[]; of: number };
  /** By service: the task container that was killed. */
  "killed task": { node: string; container: string };
}

/** The step that leaves each kind. */
const LEFT_BY: Record<keyof Remembered, string> = {
  "last command": "When I run `...` on <node>",
  "watched HTTP": "When <node> is drained while a client on <node> keeps requesting ...",
  "watching clients": "Given a client on every node keeps requesting ...",
  "cycled overlays": "When <n> overlays are created and removed ...",
  "VXLAN device cycles": "When <node> moves a VXLAN device ...",
  "swarm record": "When I record the swarm's networks, virtual IPs and task addresses",
  "noted addresses": "When I note the addresses of the tasks of <service> on network <network>",
  "sent payload": "When <endpoint> sends a UDP datagram ... (or injects one)",
  "noted virtual IPs": "When I note the virtual IP of <service>",
  "restart rounds": "When the Docker daemon on <node> restarts up to <n> times, while container <name> runs ...",
  "killed task": "When the container of the task of <service> on <node> is killed",
};

export class NothingRememberedError extends Error {}

export class ScenarioMemory {
  private readonly values = new Map<string, unknown>();

  remember<K extends keyof Remembered>(kind: K, value: Remembered[K], name = ""): void {
    this.values.set(`${kind}\u0000${name}`, value);
  }

  has(kind: keyof Remembered, name = ""): boolean {
    return this.values.has(`${kind}\u0000${name}`);
  }

  /** What an earlier step left, or an error that names the step that leaves it. */
  recall<K extends keyof Remembered>(kind: K, name = ""): Remembered[K] {
    const key = `${kind}\u0000${name}`;
    if (!this.values.has(key))
      throw new NothingRememberedError(
        `No ${kind}${name ? ` (${name})` : ""} in this scenario yet: use "${LEFT_BY[kind]}" first.`,
      );
    return this.values.get(key) as Remembered[K];
  }

  /** Like recall, and forgets it: for what a later step must not see twice. */
  take<K extends keyof Remembered>(kind: K, name = ""): Remembered[K] {
    const value = this.recall(kind, name);
    this.values.delete(`${kind}\u0000${name}`);
    return value;
  }
}
