// The kernel mechanism behind Docker's "error creating vxlan interface: file exists".
// libnetwork creates an overlay's VXLAN device in the node's namespace, which keeps
// the VNI (and its UDP port) claimed there, then moves the device into the overlay's
// sandbox namespace. Deleting that namespace with the device in it leaves the device
// to the kernel's asynchronous namespace clean-up, which runs later (and slower under
// load); until it has, the VNI cannot be claimed again in the node's namespace, and a
// new swarm's overlay with the same VNI fails. Deleting the device first frees the
// VNI at once: the node entrypoint does that before it unmounts a wiped daemon's
// namespaces (fixtures/images/node/entrypoint.sh, wipe_network_state).
import { parseVxlanDevices, type VxlanDevice } from "../text/ip-output.js";
import type { StartedSwarmNode } from "./swarm-node.js";

export type TeardownOrder = "namespace with the device" | "device first";

export interface VniCycles {
  cycles: number;
  /** Cycles after which the VNI could not be claimed again at once. */
  heldRightAfter: number;
  /** The longest a held VNI took to be free again, in milliseconds. */
  longestHeldMs: number;
  /** Cycles whose VNI was still held when the script gave up waiting. */
  neverFreed: number;
}

/** A VNI and a namespace name no Docker network of a node uses. */
const VNI = 100_000;
const NAMESPACE = "swarmnet-vni";
const DEVICE = "swarmnet-vx";
/** How long a cycle waits for a held VNI before it counts it as never freed. */
const GIVE_UP_MS = 30_000;
const WAIT_STEP_MS = 50;

export function vniCycleScript(order: TeardownOrder, cycles: number, dataPathPort: number): string {
  const add = `ip link add ${DEVICE} type vxlan id ${VNI} dstport ${dataPathPort}`;
  return [
    "set -e",
    // Leaves nothing behind, and keeps the script's exit status.
    `trap 'rc=$?; set +e; ip netns del ${NAMESPACE} 2>/dev/null; ip link del ${DEVICE} 2>/dev/null; exit $rc' EXIT`,
    "held=0; longest=0; never=0",
    `for i in $(seq ${cycles}); do`,
    `  ip netns add ${NAMESPACE}`,
    `  ${add}`,
    `  ip link set ${DEVICE} netns ${NAMESPACE}`,
    order === "device first" ? `  ip -n ${NAMESPACE} link del ${DEVICE}` : "",
    `  ip netns del ${NAMESPACE}`,
    `  if ${add} 2>/dev/null; then ip link del ${DEVICE}; continue; fi`,
    "  held=$((held+1)); waited=0",
    `  until ${add} 2>/dev/null; do`,
    `    if [ $waited -ge ${GIVE_UP_MS} ]; then never=$((never+1)); break; fi`,
    `    sleep ${WAIT_STEP_MS / 1000}; waited=$((waited+${WAIT_STEP_MS}))`,
    "  done",
    `  ip link del ${DEVICE} 2>/dev/null || :`,
    "  [ $waited -gt $longest ] && longest=$waited",
    "done",
    `echo "cycles=${cycles} held=$held longest=$longest never=$never"`,
  ]
    .filter(Boolean)
    .join("\n");
}

export function parseVniCycles(stdout: string): VniCycles {
  const match = /cycles=(\d+) held=(\d+) longest=(\d+) never=(\d+)/.exec(stdout);
  if (!match) throw new Error(`The VNI cycle script printed no result line: ${JSON.stringify(stdout)}`);
  const [cycles, heldRightAfter, longestHeldMs, neverFreed] = match.slice(1).map(Number);
  return { cycles, heldRightAfter, longestHeldMs, neverFreed };
}

/** What breaks "the VNI was free again within `boundMs` every time": empty when it held. */
export function notFreedWithin(seen: VniCycles, boundMs: number): string[] {
  const broken: string[] = [];
  if (seen.cycles === 0) broken.push("no cycle ran");
  if (seen.neverFreed > 0) broken.push(`${seen.neverFreed} of ${seen.cycles} VNIs were never freed`);
  if (seen.longestHeldMs >= boundMs) broken.push(`a VNI was held ${seen.longestHeldMs} ms, not under ${boundMs} ms`);
  return broken;
}

/**
 * On `node`, `cycles` times: a VXLAN device is moved into a new namespace, torn down
 * in `order`, and its VNI claimed again right after (then, if held, every 50 ms).
 */
export async function cycleVni(
  node: StartedSwarmNode,
  order: TeardownOrder,
  cycles: number,
  dataPathPort: number,
): Promise<VniCycles> {
  return parseVniCycles((await node.shOk(vniCycleScript(order, cycles, dataPathPort))).stdout);
}

/**
 * What a daemon stopped while a task joined an overlay leaves behind: the overlay's
 * VXLAN device created in the node's own namespace and never moved into the
 * network's. It holds `vni` there for good. Named as libnetwork names its devices.
 */
export async function leaveStrayVxlanDevice(node: StartedSwarmNode, vni: number, dataPathPort: number): Promise<void> {
  const name = `vx-${vni.toString(16).padStart(6, "0")}-stray`;
  await node.runOk(["ip", "link", "add", name, "type", "vxlan", "id", String(vni), "dstport", String(dataPathPort)]);
}

/** VXLAN devices in the node's own namespace (Docker keeps none there between joins). */
export async function strayVxlanDevices(node: StartedSwarmNode): Promise<VxlanDevice[]> {
  return parseVxlanDevices((await node.runOk(["ip", "-j", "-d", "link", "show", "type", "vxlan"])).stdout);
}
