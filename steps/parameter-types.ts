// {node}, {network}, {service}, {role}: names as scenarios write them. A node name
// is checked against the cluster, so a typo lists the nodes that exist.
import { defineParameterType } from "@cucumber/cucumber";
import type { StartedSwarmNode } from "../support/swarm-node.js";
import type { SwarmWorld } from "./world.js";

const NAME = /[A-Za-z][\w.-]*/;

defineParameterType({
  name: "node",
  regexp: NAME,
  transformer(this: SwarmWorld, name: string): StartedSwarmNode {
    return this.cluster.node(name);
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
  name: "role",
  regexp: /manager|worker/,
  transformer: (role: string) => role as "manager" | "worker",
});

defineParameterType({
  name: "cut",
  regexp: /all its traffic|its control-plane traffic|its data-plane traffic/,
});
