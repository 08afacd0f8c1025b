// A service's tasks as the manager schedules them, and where their containers run.
import { pollUntil } from "./poll.js";
import type { StartedSwarmCluster } from "./swarm-cluster.js";

export interface ServiceTask {
  id: string;
  /** Slot name as `docker service ps` shows it: my-web.1. */
  name: string;
  node: string;
  currentState: string;
  /** The task's container name on its node: my-web.1.<task id>. */
  containerName: string;
}

export class UnknownServiceError extends Error {}

async function serviceNames(cluster: StartedSwarmCluster): Promise<string[]> {
  const { stdout } = await cluster.primary.dockerOk(["service", "ls", "--format", "{{.Name}}"]);
  return stdout.split("\n").filter(Boolean);
}

/** Tasks the manager wants running (desired state running), whatever their current state. */
export async function desiredTasks(cluster: StartedSwarmCluster, service: string): Promise<ServiceTask[]> {
  const result = await cluster.primary.docker(["service", "ps", "--no-trunc", "--filter", "desired-state=running", "--format", "{{json .}}", service]);
  if (result.exitCode !== 0) {
    if (/no such service/i.test(result.stderr)) {
      const known = await serviceNames(cluster);
      throw new UnknownServiceError(`Unknown service "${service}". Services in the swarm: ${known.join(", ") || "none"}.`);
    }
    throw new Error(`docker service ps ${service} failed: ${result.stderr}`);
  }
  return result.stdout
    .split("\n")
    .filter(Boolean)
    .map((line) => {
      const raw = JSON.parse(line) as { ID: string; Name: string; Node: string; CurrentState: string };
      return { id: raw.ID, name: raw.Name, node: raw.Node, currentState: raw.CurrentState, containerName: `${raw.Name}.${raw.ID}` };
    });
}

/** Waits until exactly `replicas` tasks are Running, and returns them sorted by slot. */
export async function waitForRunningTasks(cluster: StartedSwarmCluster, service: string, replicas: number, timeoutMs = 60_000): Promise<ServiceTask[]> {
  const tasks = await pollUntil(
    `${replicas} running tasks of service ${service}`,
    () => desiredTasks(cluster, service),
    (seen) => seen.length === replicas && seen.every((t) => t.currentState.startsWith("Running")),
    { timeoutMs, intervalMs: 200 },
  );
  return tasks.sort((a, b) => a.name.localeCompare(b.name, "en", { numeric: true }));
}
