// A service's tasks as the manager schedules them, and where their containers run.
import type { NodeListEntry, StartedSwarmCluster } from "../cluster/swarm-cluster.js";
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

/** How a service is scheduled, as `docker service inspect` gives it under Spec.Mode. */
export interface ServiceMode {
  Replicated?: { Replicas?: number };
  Global?: object;
}

/**
 * How many tasks a service should be running: its replica count, or for a global
 * service one per node that is Ready and active (a drained or Down node runs none).
 */
export function wantedTaskCount(mode: ServiceMode, nodes: readonly NodeListEntry[]): number {
  if (mode.Global) return nodes.filter((n) => n.Status === "Ready" && n.Availability === "Active").length;
  return mode.Replicated?.Replicas ?? 1;
}

/**
 * Whether the running tasks are all the service should have: as many as wanted and,
 * for a global service, one on each eligible node. Undefined when whole, else why not.
 */
export function notWhole(
  mode: ServiceMode,
  nodes: readonly NodeListEntry[],
  running: readonly ServiceTask[],
): string | undefined {
  const wanted = wantedTaskCount(mode, nodes);
  const where = running.map((t) => `${t.name}@${t.node}`).join(", ") || "none";
  if (wanted === 0) return "it should run no task at all";
  if (running.length !== wanted)
    return `${running.length} of the ${wanted} tasks it should have are running (${where})`;
  if (mode.Global) {
    const eligible = nodes.filter((n) => n.Status === "Ready" && n.Availability === "Active").map((n) => n.Hostname);
    const missing = eligible.filter((node) => !running.some((t) => t.node === node));
    if (missing.length > 0) return `no task runs on ${missing.join(", ")} (running: ${where})`;
  }
  return undefined;
}

/**
 * The running tasks, once they are every task the service should have (polled until
 * the deadline): a claim about "every task" must not skip a task that never started.
 */
export async function wholeServiceTasks(
  cluster: StartedSwarmCluster,
  service: string,
  timeoutMs: number = DEADLINE_MS.runningTasks,
): Promise<ServiceTask[]> {
  type Seen = { running: ServiceTask[]; why: string | undefined };
  const seen = await pollUntil<Seen>(
    `every task service ${service} should have to be running`,
    async () => {
      const [inspected, nodes, tasks] = await Promise.all([
        cluster.primary.inspect<{ Spec: { Mode: ServiceMode } }>("service", service),
        cluster.nodeList(),
        runningTasks(cluster, service),
      ]);
      return { running: tasks, why: notWhole(inspected.Spec.Mode, nodes, tasks) };
    },
    (s) => s.why === undefined,
    { timeoutMs, intervalMs: INTERVAL_MS.normal, describe: (s) => `service ${service}: ${s.why}` },
  );
  return seen.running;
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
