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

defineParameterType({
  name: "network",
  regexp: NAME,
  transformer(this: SwarmWorld, name: string): string {
    this.networksSeen.add(name);
    return name;
  },
});

defineParameterType({
  name: "service",
  regexp: NAME,
  transformer(this: SwarmWorld, name: string): string {
    this.servicesSeen.add(name);
    return name;
  },
});

defineParameterType({
  name: "role",
  regexp: /manager|worker/,
  transformer: (role: string) => role as "manager" | "worker",
});
