// The scenario's World: the cluster it was given, the swarm API over it, and what
// its steps observed.
import { World, type IWorldOptions } from "@cucumber/cucumber";
import { FaultLedger } from "../support/cluster/faults.js";
import type { InPlaceUpgrade, StartedSwarmCluster } from "../support/cluster/swarm-cluster.js";
import type { StartedSwarmNode } from "../support/cluster/swarm-node.js";
import type { HttpWatchResult } from "../support/probes/http-watch.js";
import { OBSERVATION_MEDIA_TYPE, type Observation } from "../support/run/observation.js";
import { Swarm } from "../support/swarm/swarm.js";
import { ScenarioMemory } from "./memory.js";

/** The world parameters a profile may give: `engine-<line>` profiles set the engine. */
export interface SwarmWorldParameters {
  engine?: string;
}

export class SwarmWorld extends World<SwarmWorldParameters> {
  private currentSwarm?: Swarm;
  /** Networks and services the scenario touched, for diagnostics on failure. */
  readonly networksSeen = new Set<string>();
  readonly servicesSeen = new Set<string>();
  /** Faults in force, lifted at the end of the scenario whatever its outcome. */
  readonly faults = new FaultLedger();
  /** The scenario's last change to the swarm (a fault, a lift, a command): recovery times count from it. */
  lastAction?: { what: string; at: number };
  /** What those clients counted, once they were stopped. */
  clientCounts?: HttpWatchResult & { clients: number };
  /** In-place upgrades made in the scenario, in order. */
  readonly upgrades: InPlaceUpgrade[] = [];
  /** What steps left for later steps (the last command, watching clients, a record, ...). */
  readonly memory = new ScenarioMemory();
  /** The scenario's tags, e.g. "@fresh-cluster". */
  tags: string[] = [];

  constructor(options: IWorldOptions<SwarmWorldParameters>) {
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

  /** Notes a change to the swarm, for "recovered N s after <change>" in the report. */
  acted(what: string): void {
    this.lastAction = { what, at: Date.now() };
  }

  /**
   * What the harness did for the scenario (how its cluster was handed over, where its
   * nodes are): for people reading the report, as a plain-text attachment. Unlike a
   * log line it is not the swarm's behaviour, so the engine matrix does not compare it.
   */
  note(text: string): void {
    this.attach(text, { mediaType: "text/plain", fileName: "swarmnet" });
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
