// Placeholders in what a scenario writes (a command, a table cell) for values known
// only at run time: ${manager1.address}, ${my-network.network-id}, ${worker-token}.
import { expandPlaceholders } from "../support/text/command-line.js";
import type { SwarmWorld } from "./world.js";

/**
 * ${manager1.address}, ${manager1.data-address}, ${manager1.id}, ${my-web.service-id},
 * ${my-network.network-id}, ${worker-token}, ${manager-token}.
 */
export async function resolvePlaceholder(world: SwarmWorld, key: string): Promise<string> {
  const token = /^(worker|manager)-token$/.exec(key);
  if (token) return world.cluster.joinToken(token[1] as "worker" | "manager");
  const service = /^([\w.-]+)\.service-id$/.exec(key);
  if (service) return (await world.swarm.inspectService(service[1])).ID;
  const network = /^([\w.-]+)\.network-id$/.exec(key);
  if (network) return (await world.swarm.network(network[1])).Id;
  const nodeField = /^([\w-]+)\.(address|data-address|id)$/.exec(key);
  if (nodeField) {
    const node = world.cluster.node(nodeField[1]);
    if (nodeField[2] === "id") return node.swarmNodeId();
    if (nodeField[2] === "address") return node.address;
    if (node.spec.dataAddress) return node.spec.dataAddress;
    throw new Error(`${node.name} has no data network: start the swarm with its VXLAN traffic on a data network.`);
  }
  throw new Error(
    `Unknown placeholder \${${key}}; known: \${<node>.address}, \${<node>.data-address}, \${<node>.id}, \${<service>.service-id}, \${<network>.network-id}, \${worker-token}, \${manager-token}.`,
  );
}

/** The text with every placeholder replaced by its value now. */
export function expandIn(world: SwarmWorld, text: string): Promise<string> {
  return expandPlaceholders(text, (key) => resolvePlaceholder(world, key));
}
