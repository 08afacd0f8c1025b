// What the docker CLI prints with `--format '{{json .}}'`: one JSON object a line.

/** One object per non-empty line; a line that is not JSON is an error naming it. */
export function parseJsonLines<T>(output: string): T[] {
  return output
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => {
      try {
        return JSON.parse(line) as T;
      } catch {
        throw new Error(`Expected one JSON object per line from the docker CLI, got: ${line}`);
      }
    });
}

/** A row of `docker node ls --format '{{json .}}'`. */
export interface NodeListEntry {
  ID: string;
  Hostname: string;
  Status: string;
  Availability: string;
  ManagerStatus: string;
  EngineVersion: string;
  Self: boolean;
}

/** `Self` is a boolean from 23.0 on and the string "true"/"false" before. */
export function parseNodeList(output: string): NodeListEntry[] {
  return parseJsonLines<Record<string, unknown>>(output).map((raw) => ({
    ...(raw as unknown as NodeListEntry),
    Self: raw.Self === true || raw.Self === "true",
  }));
}

/** One line a node, for reports: "worker2 (y9psuhipjitn) Down, Active, 26.1.5". */
export function describeNodeList(list: readonly NodeListEntry[]): string[] {
  return list.map((n) =>
    [`${n.Hostname} (${n.ID.slice(0, 12)}) ${n.Status}`, n.Availability, n.ManagerStatus, n.EngineVersion]
      .filter(Boolean)
      .join(", "),
  );
}

/** A task of `docker service ps --no-trunc --format '{{json .}}'`. */
export interface ServiceTask {
  id: string;
  /** Slot name as `docker service ps` shows it: my-web.1 (global services: my-web). */
  name: string;
  node: string;
  currentState: string;
  /** Why the task ended, as its node or the allocator said ("" while it is fine). */
  error: string;
  /** The task's container name on its node: my-web.1.<task id>. */
  containerName: string;
}

export function parseServicePs(output: string): ServiceTask[] {
  type Raw = { ID: string; Name: string; Node: string; CurrentState: string; Error?: string };
  return parseJsonLines<Raw>(output).map((raw) => ({
    id: raw.ID,
    name: raw.Name,
    node: raw.Node,
    currentState: raw.CurrentState,
    error: raw.Error ?? "",
    containerName: `${raw.Name}.${raw.ID}`,
  }));
}

/** What `docker inspect --type task` prints of a task's networks. */
interface TaskInspect {
  ID: string;
  NetworksAttachments?: { Network: { Spec: { Name: string } }; Addresses?: string[] }[];
}

/** The addresses (with prefix: "10.0.7.3/24") the swarm gave each inspected task on `network`, by task id. */
export function parseTaskAddresses(output: string, network: string): Map<string, string[]> {
  const tasks = JSON.parse(output) as TaskInspect[];
  return new Map(
    tasks.map((task) => [
      task.ID,
      (task.NetworksAttachments ?? []).filter((a) => a.Network.Spec.Name === network).flatMap((a) => a.Addresses ?? []),
    ]),
  );
}

/** "Running 5 seconds ago" → running. */
export function isRunning(task: ServiceTask): boolean {
  return task.currentState.startsWith("Running");
}

/** A node's state change in `docker events --filter type=node --format '{{json .}}'`. */
export interface NodeStateChange {
  /** ISO time, from the event's nanoseconds. */
  at: string;
  node: string;
  from: string;
  to: string;
}

interface NodeEvent {
  timeNano: number;
  Actor: { Attributes: Record<string, string | undefined> };
}

/** The events that change a node's state (ready, down, unknown); others (availability, role) are left out. */
export function parseNodeStateChanges(output: string): NodeStateChange[] {
  return parseJsonLines<NodeEvent>(output).flatMap((event) => {
    const { name = "?", "state.old": from, "state.new": to } = event.Actor.Attributes;
    if (to === undefined) return [];
    return [{ at: new Date(event.timeNano / 1e6).toISOString(), node: name, from: from ?? "?", to }];
  });
}
