// The scenario's World: the cluster it was given and what its steps observed.
import { World, type IWorldOptions } from "@cucumber/cucumber";
import type { StartedSwarmCluster } from "../support/swarm-cluster.js";
import type { CommandResult, StartedSwarmNode } from "../support/swarm-node.js";

export interface LastCommand {
  node: string;
  command: string;
  result: CommandResult;
}

export class SwarmWorld extends World {
  private currentCluster?: StartedSwarmCluster;
  private last?: LastCommand;
  /** Networks and services the scenario touched, for diagnostics on failure. */
  readonly networksSeen = new Set<string>();
  readonly servicesSeen = new Set<string>();
  /** Standalone containers the scenario started, by name, with their node. */
  readonly containers = new Map<string, StartedSwarmNode>();
  /** The scenario's tags, e.g. "@fresh-cluster". */
  tags: string[] = [];

  constructor(options: IWorldOptions) {
    super(options);
  }

  get cluster(): StartedSwarmCluster {
    if (!this.currentCluster) {
      throw new Error('This step needs a cluster: begin the scenario with a step like "Given a swarm with 1 manager and 2 workers".');
    }
    return this.currentCluster;
  }

  set cluster(cluster: StartedSwarmCluster) {
    this.currentCluster = cluster;
  }

  get hasCluster(): boolean {
    return this.currentCluster !== undefined;
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
}
