// What a cluster is made of: its nodes' names, roles and engines, and whether they
// form a swarm. Two scenarios asking for equal shapes can share a cluster.
import { SwarmnetError } from "../run/errors.js";
import type { NodeRole } from "./swarm-node.js";

export interface NodePlan {
  name: string;
  role: NodeRole;
  engine: string;
  /** A UML node's kernel line, where a step names one. */
  kernel?: string;
}

export interface ClusterShape {
  nodes: NodePlan[];
  /** false: plain Docker hosts on the lab network, no swarm yet. */
  initialised: boolean;
  /** Every node also on a data network that carries the swarm's VXLAN traffic (--data-path-addr). */
  dataNetwork?: boolean;
}

export class ClusterShapeError extends SwarmnetError {}

/** `count` nodes of `role`, named <role><n> from `first` + 1 on, each on `engineFor(role, index)`. */
export function planNodes(
  role: NodeRole,
  count: number,
  engineFor: (role: NodeRole, index: number) => string,
  first = 0,
): NodePlan[] {
  return Array.from({ length: count }, (_, i) => ({
    name: `${role}${first + i + 1}`,
    role,
    engine: engineFor(role, i),
  }));
}

/** manager1..managerM, worker1..workerW, each on `engineFor(role, index)`. */
export function clusterShape(
  managers: number,
  workers: number,
  engineFor: (role: NodeRole, index: number) => string,
  initialised = true,
): ClusterShape {
  if (managers < 1) throw new ClusterShapeError("A swarm needs at least 1 manager.");
  return {
    nodes: [...planNodes("manager", managers, engineFor), ...planNodes("worker", workers, engineFor)],
    initialised,
  };
}

/** The shape with each node's kernel line given by `kernelFor(plan, index)` (UML nodes). */
export function withKernels(shape: ClusterShape, kernelFor: (plan: NodePlan, index: number) => string): ClusterShape {
  return { ...shape, nodes: shape.nodes.map((plan, i) => ({ ...plan, kernel: kernelFor(plan, i) })) };
}

export function describeShape(shape: ClusterShape): string {
  const count = (role: NodeRole) => shape.nodes.filter((n) => n.role === role).length;
  const engines = [...new Set(shape.nodes.map((n) => n.engine))].join("+");
  const kernels = [...new Set(shape.nodes.flatMap((n) => (n.kernel ? [n.kernel] : [])))].join("+");
  return `${count("manager")} manager(s) + ${count("worker")} worker(s), engine ${engines}${kernels ? `, kernel ${kernels}` : ""}${shape.initialised ? "" : ", no swarm"}${shape.dataNetwork ? ", data network" : ""}`;
}

export function sameShape(a: ClusterShape, b: ClusterShape): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
