// Per-node observations as { node name: value } records, so that one expect()
// shows every node's expected and actual value side by side.

interface Named {
  name: string;
}

/** Observes every node at once: { manager1: ..., worker1: ... }. */
export async function perNode<N extends Named, T>(
  nodes: readonly N[],
  observe: (node: N) => Promise<T>,
): Promise<Record<string, T>> {
  return Object.fromEntries(await Promise.all(nodes.map(async (n) => [n.name, await observe(n)] as const)));
}

/** The same expected value for every node: { manager1: value, worker1: value }. */
export function forEachNode<T>(nodes: readonly Named[], value: T | ((name: string) => T)): Record<string, T> {
  return Object.fromEntries(
    nodes.map((n) => [n.name, typeof value === "function" ? (value as (name: string) => T)(n.name) : value]),
  );
}
