// The tags that change how or where a scenario runs, in one place: the hooks, the
// suite's passes, the ordering and the bench all read them from here.

/** Needs the kernel's IPVS (service VIPs, the routing mesh). */
export const IPVS_TAG = "@ipvs";
/** Needs the kernel's ESP (encrypted overlays). */
export const ESP_TAG = "@esp";
/** Does to a node what only a machine can have done to it: a power cut, a reboot, another kernel. */
export const MACHINE_TAG = "@machine";
/** Scenarios that go to UML nodes where the host kernel lacks IPVS or ESP. */
export const KERNEL_TAGS = `${IPVS_TAG} or ${ESP_TAG}`;
/** Every scenario that may need UML nodes: a tag expression. */
export const UML_TAGS = `${KERNEL_TAGS} or ${MACHINE_TAG}`;
/** Takes minutes by design: starts first (scenario-order.ts). */
export const LONG_TAG = "@long";
/** Runs with no other scenario in progress (parallel-rules.ts). */
export const ALONE_TAG = "@alone";
/** Gets new nodes, discarded after. */
export const FRESH_CLUSTER_TAG = "@fresh-cluster";
/**
 * Fails now and then because of a Docker behaviour recorded in docs/known-issues.md:
 * left out of a run unless selected by this tag or by its line, and the run says so.
 */
export const QUARANTINED_TAG = "@quarantined";
