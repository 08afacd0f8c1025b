// Where a cluster's nodes live, and how a node starts there: containers on the
// outer daemon's lab networks (container-node.ts), or UML kernels on this machine's
// bridges (uml-node.ts). The cluster forms the swarm the same way on either.
import type { NodeSpec, NodeState, StartedSwarmNode } from "./swarm-node.js";

export interface NodeSite {
  /** Builds what a node of `spec` starts from (images, disks), so that a later start does not wait for it. */
  prepare(spec: NodeSpec): Promise<void>;
  /** Empty Docker state for a new node. */
  newState(spec: NodeSpec): Promise<NodeState>;
  /** Starts a node on `state` (new, or kept by a node that stopped); a node that does not come up removes it. */
  start(spec: NodeSpec, state: NodeState): Promise<StartedSwarmNode>;
  /** Removes the networks (the nodes are stopped first). */
  remove(): Promise<void>;
}
