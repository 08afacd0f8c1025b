// Which scenarios may run beside which under cucumber's --parallel. Each worker has
// its own clusters and lab subnet; all nodes share one kernel and two cores. Fault
// and upgrade scenarios stop daemons only inside their own nodes, and a full host
// pass with them beside others passed, within their deadlines and outage bounds
// (the one failure, a VXLAN device a stopped daemon left in a node's namespace, is
// fixed in the node entrypoint). A scenario tagged @alone runs with no other in
// progress, for one whose deadlines measure Docker only when nothing else loads it.
import { ALONE_TAG } from "./tags.js";

/** Scenarios with any of these tags (feature tags included) run with nothing beside them. */
export const ALONE_TAGS = [ALONE_TAG] as const;

export function runsAlone(tags: readonly string[]): boolean {
  return tags.some((t) => (ALONE_TAGS as readonly string[]).includes(t));
}

/** Whether a scenario with `tags` may start while the scenarios with `inProgress` tags run. */
export function canRunBeside(tags: readonly string[], inProgress: readonly (readonly string[])[]): boolean {
  if (inProgress.length === 0) return true;
  return !runsAlone(tags) && !inProgress.some(runsAlone);
}
