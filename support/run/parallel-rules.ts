// Which scenarios may run beside which under cucumber's --parallel. Each worker has
// its own clusters and lab subnet, but all nodes share one kernel (namespace
// teardown, VXLAN VNIs claimed per namespace) and two cores: scenarios that stop
// daemons (faults, upgrades) or that failed only beside another run alone, with no
// other scenario in progress, so their deadlines measure Docker and not the load.

/** Scenarios with any of these tags (feature tags included) run with nothing beside them. */
export const ALONE_TAGS = ["@faults", "@upgrade", "@alone"] as const;

export function runsAlone(tags: readonly string[]): boolean {
  return tags.some((t) => (ALONE_TAGS as readonly string[]).includes(t));
}

/** Whether a scenario with `tags` may start while the scenarios with `inProgress` tags run. */
export function canRunBeside(tags: readonly string[], inProgress: readonly (readonly string[])[]): boolean {
  if (inProgress.length === 0) return true;
  return !runsAlone(tags) && !inProgress.some(runsAlone);
}
