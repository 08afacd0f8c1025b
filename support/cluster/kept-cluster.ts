// A cluster kept after a failed scenario (SWARMNET_KEEP=on-failure), for a person to
// study: where its nodes are is written to <reports>/kept-<worker>.json (a cucumber
// worker holds one cluster at a time), and a recipe to reach
// each is printed. `npm run node` runs a command on a kept node after the run ended;
// `npm run clean` (or the next run's sweep of dead runs' leftovers) removes it.
import { mkdir, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { SwarmnetError } from "../run/errors.js";
import { execChannel, type CommandResult } from "./command-channel.js";
import { outerDocker } from "../host/docker-host.js";
import type { StartedSwarmCluster } from "./swarm-cluster.js";
import type { NodeAccess } from "./swarm-node.js";
import { AgentListener } from "./uml-channel.js";

const KEPT_FILE = /^kept-\d+\.json$/;

export interface KeptNode {
  name: string;
  role: string;
  address: string;
  kind: string;
  access: NodeAccess;
}

export interface KeptCluster {
  scenario: string;
  keptAt: string;
  nodes: KeptNode[];
}

export class KeptNodeError extends SwarmnetError {}

export function keptRecord(scenario: string, cluster: StartedSwarmCluster, at = new Date()): KeptCluster {
  return {
    scenario,
    keptAt: at.toISOString(),
    nodes: cluster.nodes.map((n) => ({
      name: n.name,
      role: n.role,
      address: n.address,
      kind: n.kind,
      access: n.access,
    })),
  };
}

/** How to reach each node of the kept cluster, and how to remove it: lines for a person. */
export function keptRecipe(kept: KeptCluster): string {
  const reach = kept.nodes.map((n) => {
    // A worker's daemon refuses `docker node ls`.
    const look = n.role === "manager" ? "docker node ls" : "docker network ls";
    const command =
      "container" in n.access ? `docker exec -it ${n.access.container} ${look}` : `npm run node -- ${n.name} ${look}`;
    return `  ${n.name} (${n.role}, ${n.kind}, ${n.address}): ${command}`;
  });
  return [
    `kept the cluster of "${kept.scenario}" for inspection (SWARMNET_KEEP=on-failure):`,
    ...reach,
    "  npm run clean removes it (the next run removes it too, as a dead run's leftover)",
  ].join("\n");
}

export async function writeKept(dir: string, workerId: number, kept: KeptCluster): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, `kept-${workerId}.json`), `${JSON.stringify(kept, null, 2)}\n`);
}

async function keptFiles(dirs: string[]): Promise<string[]> {
  const listed = await Promise.all(
    dirs.map(async (dir) =>
      (await readdir(dir).catch(() => [] as string[])).filter((f) => KEPT_FILE.test(f)).map((f) => join(dir, f)),
    ),
  );
  return listed.flat();
}

/** The clusters kept in these report directories (a pass each). */
export async function readKept(dirs: string[]): Promise<KeptCluster[]> {
  const files = await keptFiles(dirs);
  return Promise.all(files.map(async (file) => JSON.parse(await readFile(file, "utf8")) as KeptCluster));
}

/** Forgets the kept clusters' records (once they are removed, or a new run starts). */
export async function forgetKept(dirs: string[]): Promise<void> {
  await Promise.all((await keptFiles(dirs)).map((file) => rm(file, { force: true })));
}

/** The kept node called `name`, or an error naming the nodes there are. */
export function findKeptNode(kept: KeptCluster[], name: string): KeptNode {
  const node = kept.flatMap((k) => k.nodes).find((n) => n.name === name);
  if (node) return node;
  const names = kept.flatMap((k) => k.nodes.map((n) => n.name));
  throw new KeptNodeError(
    names.length === 0
      ? "No cluster is kept: SWARMNET_KEEP=on-failure keeps the cluster of a scenario that failed."
      : `No kept node is called "${name}": the kept nodes are ${names.join(", ")}.`,
  );
}

/** How long a kept UML node's agent has to dial in (it tries every half second). */
const AGENT_DIAL_MS = 10_000;

/** Runs `command` on a kept node, the way the harness did: over its command agent. */
export async function runOnKeptNode(node: KeptNode, command: string[]): Promise<CommandResult> {
  if ("container" in node.access) {
    const channel = execChannel(outerDocker().getContainer(node.access.container), node.name);
    try {
      return await channel.run(command);
    } finally {
      await channel.close();
    }
  }
  const [host, port] = node.access.channel.split(":");
  const listener = await AgentListener.open(host, node.name, Number(port));
  listener.boot = node.access.boot;
  const channel = listener.channel(AGENT_DIAL_MS);
  try {
    return await channel.run(command);
  } finally {
    await channel.close();
    listener.close();
  }
}
