// The scenario's World: the cluster it was given, the swarm API over it, and what
// its steps observed.
import { World, type IWorldOptions } from "@cucumber/cucumber";
import { FaultLedger } from "../support/cluster/faults.js";
import type { InPlaceUpgrade, StartedSwarmCluster } from "../support/cluster/swarm-cluster.js";
import type { VniCycles } from "../support/cluster/vni-teardown.js";
import type { CommandResult, StartedSwarmNode } from "../support/cluster/swarm-node.js";
import type { HttpWatchFleet, HttpWatchResult } from "../support/probes/http-watch.js";
import type { SwarmRecord } from "../support/swarm/swarm-record.js";
import { Swarm } from "../support/swarm/swarm.js";
import { OBSERVATION_MEDIA_TYPE, type Observation } from "../support/run/observation.js";

export interface LastCommand {
  node: string;
  command: string;
  result: CommandResult;
}

export class SwarmWorld extends World {
  private currentSwarm?: Swarm;
  private last?: LastCommand;
  /** Networks and services the scenario touched, for diagnostics on failure. */
  readonly networksSeen = new Set<string>();
  readonly servicesSeen = new Set<string>();
  /** Faults in force, lifted at the end of the scenario whatever its outcome. */
  readonly faults = new FaultLedger();
  /** The scenario's last change to the swarm (a fault, a lift, a command): recovery times count from it. */
  lastAction?: { what: string; at: number };
  /** What the last HTTP client that watched a change counted. */
  httpWatch?: HttpWatchResult;
  /** Payloads of datagrams sent in the scenario, by how they were sent ("injected into secret"). */
  readonly sent = new Map<string, string>();
  /** Addresses noted earlier in the scenario, by "<service>@<network>". */
  readonly noted = new Map<string, string[]>();
  /** Overlays created and removed in turn: each one's subnet, and what it overlapped while it existed. */
  overlayCycles?: { network: string; subnet: string; overlaps: string[] }[];
  /** Clients watching a rolling change, one per node. */
  clients?: HttpWatchFleet;
  /** What those clients counted, once they were stopped. */
  clientCounts?: HttpWatchResult & { clients: number };
  /** VXLAN devices moved into namespaces and torn down, and how often their VNI stayed held. */
  vniCycles?: VniCycles;
  /** The swarm as recorded before an upgrade. */
  record?: SwarmRecord;
  /** In-place upgrades made in the scenario, in order. */
  readonly upgrades: InPlaceUpgrade[] = [];
  /** The scenario's tags, e.g. "@fresh-cluster". */
  tags: string[] = [];

  constructor(options: IWorldOptions) {
    super(options);
  }

  get swarm(): Swarm {
    if (!this.currentSwarm) {
      throw new Error(
        'This step needs a cluster: begin the scenario with a step like "Given a swarm with 1 manager and 2 workers".',
      );
    }
    return this.currentSwarm;
  }

  get cluster(): StartedSwarmCluster {
    return this.swarm.cluster;
  }

  set cluster(cluster: StartedSwarmCluster) {
    this.currentSwarm = new Swarm(cluster);
  }

  get hasCluster(): boolean {
    return this.currentSwarm !== undefined;
  }

  get manager(): StartedSwarmNode {
    return this.cluster.primary;
  }

  get lastCommand(): LastCommand {
    if (!this.last) throw new Error('No command has run yet in this scenario: use "When I run `...` on <node>" first.');
    return this.last;
  }

  set lastCommand(command: LastCommand) {
    this.last = command;
  }

  /** Notes a change to the swarm, for "recovered N s after <change>" in the report. */
  acted(what: string): void {
    this.lastAction = { what, at: Date.now() };
  }

  /** Attaches a typed observation for the tools (support/report), beside the lines people read. */
  observe(observation: Observation): void {
    this.attach(JSON.stringify(observation), OBSERVATION_MEDIA_TYPE);
  }

  /**
   * ' 11.7 s after "worker2 stopped"', for recovery times in the report; the time is
   * also observed as a timing, which the engine matrix compares between engines.
   */
  sinceLastAction(): string {
    const last = this.lastAction;
    if (!last) return " (no change made in this scenario)";
    const seconds = Number(((Date.now() - last.at) / 1000).toFixed(1));
    this.observe({ kind: "timing", what: `after "${last.what}"`, seconds });
    return ` ${seconds.toFixed(1)} s after "${last.what}"`;
  }
}
