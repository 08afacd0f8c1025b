// Everything a run sets up once per process, before the first scenario: the outer
// daemon, leftovers swept, settings, images, privilege mode, kernel capabilities.
import { parseConfig, type SwarmnetConfig } from "./config.js";
import { removeThisRunOnSignals, sweepStaleRuns } from "./cleanup.js";
import { requireOuterDaemon } from "./docker-host.js";
import { findEngine, loadEngineTable, type EngineTable } from "./engines.js";
import { ImageCatalogue } from "./images/catalogue.js";
import { probeKernel, type KernelCapabilities } from "./kernel-capabilities.js";
import { progress, timed } from "./log.js";
import { privilegeMode, type PrivilegeMode } from "./privilege.js";
import type { ClusterEnvironment } from "./swarm-cluster.js";

export interface Harness {
  config: SwarmnetConfig;
  engines: EngineTable;
  images: ImageCatalogue;
  privilege: PrivilegeMode;
  kernel: KernelCapabilities;
  clusterEnvironment: ClusterEnvironment;
}

let harness: Promise<Harness> | undefined;

async function start(): Promise<Harness> {
  const engines = loadEngineTable();
  const config = parseConfig(process.env, engines);
  const { version } = await requireOuterDaemon();
  progress(`outer Docker daemon ${version}; default engine ${config.engine.name}; lab subnet ${config.labSubnet}`);
  removeThisRunOnSignals();
  await sweepStaleRuns();
  const images = await timed("preparing images", () => ImageCatalogue.prepare(config.nodeImages));
  const defaultNodeImage = await images.nodeImage(config.engine);
  const privilege = await privilegeMode(config.privilege, defaultNodeImage);
  const kernel = await probeKernel(defaultNodeImage);
  progress(`kernel: IPVS ${kernel.ipvs ? "present" : "ABSENT"}, ESP ${kernel.esp ? "present" : "ABSENT"}`);
  const clusterEnvironment: ClusterEnvironment = {
    labSubnet: config.labSubnet,
    privilege,
    workloads: images.workloads,
    nodeImage: (engine) => images.nodeImage(findEngine(engines, engine)),
  };
  return { config, engines, images, privilege, kernel, clusterEnvironment };
}

/** The process's harness, set up on first call. */
export function getHarness(): Promise<Harness> {
  harness ??= start();
  return harness;
}
