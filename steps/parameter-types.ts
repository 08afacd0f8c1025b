// Parameter types carry the grammar: each turns the words of a step into a checked
// value, and a misspelt word fails with the list of valid ones.
//   {node} {nodes} {network} {service} {endpoint} {role} {cut} {engine} {kernel} {status} {deadline}
import { defineParameterType } from "@cucumber/cucumber";
import type { Cut } from "../support/cluster/faults.js";
import type { NodeRole, StartedSwarmNode } from "../support/cluster/swarm-node.js";
import { getHarness } from "../support/host/harness.js";
import { findEngine, type EngineLine } from "../support/run/engines.js";
import { findKernel, loadKernelTable, type KernelLine } from "../support/run/kernels.js";
import { Deadline } from "../support/run/poll.js";
import type { Endpoint } from "../support/swarm/endpoints.js";
import { chooseWord } from "../support/text/vocabulary.js";
import type { SwarmWorld } from "./world.js";

const NAME = /[A-Za-z][\w.-]*/;

defineParameterType({
  name: "node",
  regexp: NAME,
  transformer(this: SwarmWorld, name: string): StartedSwarmNode {
    return this.cluster.node(name);
  },
});

defineParameterType({
  name: "nodes",
  regexp: /[A-Za-z][\w.-]*(?:(?:, | and )[A-Za-z][\w.-]*)*/,
  transformer(this: SwarmWorld, list: string): StartedSwarmNode[] {
    return list.split(/, | and /).map((name) => this.cluster.node(name));
  },
});

// Networks and services are remembered, so that a failed scenario's report shows them.
for (const [name, seen] of [
  ["network", "networksSeen"],
  ["service", "servicesSeen"],
] as const) {
  defineParameterType({
    name,
    regexp: NAME,
    transformer(this: SwarmWorld, value: string): string {
      this[seen].add(value);
      return value;
    },
  });
}

defineParameterType({
  name: "endpoint",
  regexp: /[A-Za-z][\w.@-]*/,
  transformer(this: SwarmWorld, label: string): Promise<Endpoint> {
    const service = /^(.+)@|^(.+)\.\d+$/.exec(label);
    if (service) this.servicesSeen.add(service[1] ?? service[2]);
    return this.swarm.endpoint(label);
  },
});

const ROLES: Record<string, NodeRole> = { manager: "manager", worker: "worker" };

defineParameterType({
  name: "role",
  regexp: /[a-z]+/,
  transformer: (word: string): NodeRole => chooseWord("role", word, ROLES),
});

const CUTS: Record<string, Cut> = {
  "all its traffic": "all",
  "its control-plane traffic": "control-plane",
  "its data-plane traffic": "data-plane",
};

defineParameterType({
  name: "cut",
  regexp: /(?:all its|its [\w-]+) traffic/,
  transformer: (phrase: string): Cut => chooseWord("cut", phrase, CUTS),
});

/** "engine under test": the run's engine (SWARMNET_ENGINE), a line or an engine's own files. */
const ENGINE_UNDER_TEST = "under test";

defineParameterType({
  name: "engine",
  regexp: /\d+\.\d+(?:\.\d+)?|under test/,
  async transformer(version: string): Promise<EngineLine> {
    const harness = await getHarness();
    return version === ENGINE_UNDER_TEST ? harness.config.engine : findEngine(harness.engines, version);
  },
});

defineParameterType({
  name: "kernel",
  regexp: /\d+\.\d+(?:\.\d+)?/,
  transformer: (version: string): KernelLine => findKernel(loadKernelTable(), version),
});

/** Node states as `docker node ls` prints them. */
export type NodeStatus = "Ready" | "Down" | "Unknown" | "Disconnected";

const STATUSES: Record<string, NodeStatus> = {
  Ready: "Ready",
  Down: "Down",
  Unknown: "Unknown",
  Disconnected: "Disconnected",
};

defineParameterType({
  name: "status",
  regexp: /[A-Za-z]+/,
  transformer: (word: string): NodeStatus => chooseWord("node status", word, STATUSES),
});

// How a datagram of the scenario went: crafted and sent at a node's VXLAN port, or sent over the overlay.
defineParameterType({
  name: "delivery",
  regexp: /injected into|sent on/,
});

defineParameterType({
  name: "deadline",
  regexp: /within (\d+) s/,
  transformer: (seconds: string): Deadline => new Deadline(Number(seconds)),
});
