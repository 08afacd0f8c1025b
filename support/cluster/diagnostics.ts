// What a failed scenario's report carries: the swarm as every node saw it.
import { LOG_TAIL_LINES } from "../run/limits.js";
import type { StartedSwarmCluster } from "./swarm-cluster.js";
import type { StartedSwarmNode } from "./swarm-node.js";

async function section(title: string, node: StartedSwarmNode, args: string[]): Promise<string> {
  try {
    const { exitCode, stdout, stderr } = await node.docker(args);
    return `### ${title} (on ${node.name}, exit ${exitCode})\n${stdout}${stderr}`;
  } catch (error) {
    return `### ${title} (on ${node.name}): could not run: ${String(error)}`;
  }
}

export async function collectDiagnostics(
  cluster: StartedSwarmCluster,
  networks: string[],
  services: string[],
): Promise<string> {
  const manager = cluster.primary;
  const parts: Promise<string>[] = [
    section("docker node ls", manager, ["node", "ls"]),
    section("docker service ls", manager, ["service", "ls"]),
    ...services.map((s) => section(`docker service ps --no-trunc ${s}`, manager, ["service", "ps", "--no-trunc", s])),
    ...cluster.liveNodes.flatMap((node) => [
      section("docker network ls", node, ["network", "ls"]),
      ...networks.map((n) => section(`docker network inspect ${n}`, node, ["network", "inspect", n])),
      section("docker ps -a", node, ["ps", "-a"]),
    ]),
    ...cluster.liveNodes.map(async (node) => {
      const tail = await node
        .daemonLogTail(LOG_TAIL_LINES.diagnostics)
        .catch((error: unknown) => `(unavailable: ${String(error)})`);
      return `### daemon log tail (${node.name})\n${tail}`;
    }),
  ];
  return (await Promise.all(parts)).join("\n\n");
}
