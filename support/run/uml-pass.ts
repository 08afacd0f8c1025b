// The settings of a run whose nodes are UML kernels, beside a run of container
// nodes: what `npm start` gives its UML pass, and what `npm run bench` measures.
import { config, DEFAULT_LAB_SUBNET, umlSubnetFor, type SwarmnetConfig } from "./config.js";

/** Reports of the UML pass go beside the container pass's, under this folder of the report dir. */
export const UML_REPORTS = "uml";
/** Where each pass writes its reports: the run's report dir, and the UML pass's under it. */
export function reportDirs(settings: SwarmnetConfig = config()): string[] {
  return [settings.reportDir, `${settings.reportDir}/${UML_REPORTS}`];
}

/** Each pass's list of failed scenarios, in its report dir (cucumber's rerun formatter). */
export const RERUN_FILE = "@rerun.txt";
/**
 * Cucumber workers of the UML pass: each holds a cluster of UML kernels, a core each
 * where there are enough; more would only share the cores (the pass is bound by CPU:
 * docs/performance.md, "Where the UML pass's time goes").
 */
const UML_WORKERS = 1;

/** The environment of a UML pass, from the run's settings (a setting the user made stays). */
export function umlPassEnv(settings: SwarmnetConfig = config()): Record<string, string> {
  const { given } = settings;
  return {
    SWARMNET_NODES: "uml",
    SWARMNET_LAB_SUBNET: umlSubnetFor(given.SWARMNET_LAB_SUBNET ?? DEFAULT_LAB_SUBNET),
    SWARMNET_REPORT_DIR: `${settings.reportDir}/${UML_REPORTS}`,
    SWARMNET_PARALLEL: given.SWARMNET_PARALLEL ?? String(UML_WORKERS),
    // Three kernels boot faster than three daemons are wiped, restarted and checked
    // (docs/performance.md, "The suite").
    SWARMNET_REUSE: given.SWARMNET_REUSE ?? "false",
  };
}
