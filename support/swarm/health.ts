// Services whose tasks are healthy only while a file exists in them: a scenario makes
// and removes the file to move a task between "starting", "healthy" and "unhealthy",
// and watches what the swarm's load balancer and DNS do with it.
import type { StartedSwarmCluster } from "../cluster/swarm-cluster.js";
import { INTERVAL_MS, DEADLINE_MS } from "../run/limits.js";
import { pollUntil } from "../run/poll.js";
import { taskContainersOn } from "./endpoints.js";
import type { ServiceSpec } from "./swarm.js";

/**
 * The options of a task healthy while `file` exists. The long start period keeps a
 * task that never had the file "starting" (not counted as failing); once a check has
 * passed, three failed checks a second apart make it unhealthy.
 */
export function healthWhileFileExists(file: string): string[] {
  return [
    ["--health-cmd", `test -f ${file}`],
    ["--health-interval", "1s"],
    ["--health-timeout", "1s"],
    ["--health-retries", "3"],
    ["--health-start-period", "600s"],
  ].flat();
}

/** The service's task containers on every live node, by node name, once there are `count` of them. */
export async function taskContainers(
  cluster: StartedSwarmCluster,
  service: string,
  count: number,
): Promise<Map<string, string[]>> {
  const seen = await pollUntil(
    `${count} containers of ${service} on the nodes`,
    async () =>
      new Map(
        await Promise.all(cluster.liveNodes.map(async (n) => [n.name, await taskContainersOn(n, service)] as const)),
      ),
    (byNode) => [...byNode.values()].flat().length === count,
    {
      timeoutMs: DEADLINE_MS.runningTasks,
      intervalMs: INTERVAL_MS.probe,
      describe: (byNode) => JSON.stringify(Object.fromEntries(byNode)),
    },
  );
  return seen;
}

export function healthCheckedSpec(name: string, replicas: number, network: string, file: string): ServiceSpec {
  return { name, replicas, networks: [network], command: ["sleep", "3600"], options: healthWhileFileExists(file) };
}
