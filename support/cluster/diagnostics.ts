// What a failed scenario's report carries: the swarm as every node saw it.
import { LOG_TAIL_LINES } from "../run/limits.js";
import type { StartedSwarmCluster } from "./swarm-cluster.js";
import type { StartedSwarmNode } from "./swarm-node.js";

async function section(title: string, node: StartedSwarmNode, command: string[]): Promise<string> {
  try {
    const { exitCode, stdout, stderr } = await node.run(command);
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
  // With every manager stopped there is no one to ask about the swarm; the nodes still answer for themselves.
  const manager = cluster.managers.find((m) => cluster.liveNodes.includes(m));
  const swarmParts = manager
    ? [
        section("docker node ls", manager, ["docker", "node", "ls"]),
        section("docker service ls", manager, ["docker", "service", "ls"]),
        ...services.map((s) =>
          section(`docker service ps --no-trunc ${s}`, manager, ["docker", "service", "ps", "--no-trunc", s]),
        ),
      ]
    : [Promise.resolve("### the swarm: no manager is running, so nothing answers for it")];
  const parts: Promise<string>[] = [
    ...swarmParts,
    ...cluster.liveNodes.flatMap((node) => [
      section("docker network ls", node, ["docker", "network", "ls"]),
      ...networks.map((n) => section(`docker network inspect ${n}`, node, ["docker", "network", "inspect", n])),
      section("docker ps -a", node, ["docker", "ps", "-a"]),
      // Docker moves each VXLAN device into its network's namespace: one left in the
      // node's own is an orphan, and a new device with its VNI fails with "file exists".
      section("VXLAN devices in the node's own namespace", node, ["ip", "-d", "-o", "link", "show", "type", "vxlan"]),
    ]),
    ...cluster.liveNodes.map(async (node) => {
      const tail = await node
        .daemonLogTail(LOG_TAIL_LINES.diagnostics)
        .catch((error: unknown) => `(unavailable: ${String(error)})`);
      return `### daemon log tail (${node.name})\n${tail}`;
    }),
    ...cluster.nodes.map(async (node) => {
      const tail = await node.kernelLogTail(LOG_TAIL_LINES.diagnostics);
      return tail === undefined ? "" : `### kernel console tail (${node.name})\n${tail}`;
    }),
  ];
  return (await Promise.all(parts)).filter((part) => part !== "").join("\n\n");
}
