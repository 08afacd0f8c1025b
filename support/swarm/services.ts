// A service's tasks as the manager schedules them, and where their containers run.
import type { StartedSwarmCluster } from "../cluster/swarm-cluster.js";
import { SwarmnetError, saysNotFound } from "../run/errors.js";
import { DEADLINE_MS, INTERVAL_MS } from "../run/limits.js";
import { pollUntil } from "../run/poll.js";
import { isRunning, parseServicePs, parseTaskAddresses, type ServiceTask } from "../text/docker-json.js";

export type { ServiceTask };
export { isRunning };

export class UnknownServiceError extends SwarmnetError {}

async function serviceNames(cluster: StartedSwarmCluster): Promise<string[]> {
  return cluster.primary.dockerLines(["service", "ls", "--format", "{{.Name}}"]);
}

/** Tasks the manager wants running (desired state running), whatever their current state. */
export function desiredTasks(cluster: StartedSwarmCluster, service: string): Promise<ServiceTask[]> {
  return tasksWanted(cluster, service, "running");
}

/** Tasks the manager has given up on (rejected, failed, replaced), newest first, with their errors. */
export function endedTasks(cluster: StartedSwarmCluster, service: string): Promise<ServiceTask[]> {
  return tasksWanted(cluster, service, "shutdown");
}

async function tasksWanted(
  cluster: StartedSwarmCluster,
  service: string,
  desiredState: "running" | "shutdown",
): Promise<ServiceTask[]> {
  const filter = `desired-state=${desiredState}`;
  const result = await cluster.primary.docker([
    "service",
    "ps",
    "--no-trunc",
    "--filter",
    filter,
    "--format",
    "{{json .}}",
    service,
  ]);
  if (result.exitCode !== 0) {
    if (saysNotFound(result.stderr)) {
      const known = await serviceNames(cluster);
      throw new UnknownServiceError(
        `Unknown service "${service}". Services in the swarm: ${known.join(", ") || "none"}.`,
      );
    }
    throw new SwarmnetError(`docker service ps ${service} failed: ${result.stderr}`);
  }
  return parseServicePs(result.stdout);
}

/** Tasks that are Running now, sorted by slot (my-web.1, my-web.2, ...). */
export async function runningTasks(cluster: StartedSwarmCluster, service: string): Promise<ServiceTask[]> {
  return bySlot((await desiredTasks(cluster, service)).filter(isRunning));
}

/**
 * The addresses the swarm's allocator gave each running task of `service` on
 * `network`, as its task record holds them ("10.0.7.3/24"), by task name. A node
 * may give the task's container more (from its own allocator). By container name:
 * the tasks of a global service share one slot name.
 */
export async function swarmTaskAddresses(
  cluster: StartedSwarmCluster,
  service: string,
  network: string,
): Promise<Map<string, string[]>> {
  const tasks = await runningTasks(cluster, service);
  if (tasks.length === 0) throw new SwarmnetError(`Service ${service} has no running task.`);
  const { stdout } = await cluster.primary.dockerOk(["inspect", "--type", "task", ...tasks.map((t) => t.id)]);
  const byId = parseTaskAddresses(stdout, network);
  return new Map(tasks.map((t) => [t.containerName, byId.get(t.id) ?? []]));
}

function bySlot(tasks: ServiceTask[]): ServiceTask[] {
  return tasks.sort((a, b) => a.name.localeCompare(b.name, "en", { numeric: true }));
}

/** Waits until exactly `replicas` tasks are Running, and returns them sorted by slot. */
export async function waitForRunningTasks(
  cluster: StartedSwarmCluster,
  service: string,
  replicas: number,
  timeoutMs: number = DEADLINE_MS.runningTasks,
): Promise<ServiceTask[]> {
  const tasks = await pollUntil(
    `${replicas} running tasks of service ${service}`,
    () => desiredTasks(cluster, service),
    (seen) => seen.length === replicas && seen.every(isRunning),
    { timeoutMs, intervalMs: INTERVAL_MS.fast },
  );
  return bySlot(tasks);
}
