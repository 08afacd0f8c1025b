// Everything a run sets up once per process, before the first scenario: the outer
// daemon, leftovers swept, settings, images, privilege mode, kernel capabilities.
// What clusters need of it is the HostEnvironment.
import { config, type IptablesBackend, type NodeKind, type SwarmnetConfig } from "../run/config.js";
import { engineLineOf, findEngine, loadEngineTable, type EngineLine, type EngineTable } from "../run/engines.js";
import { findKernel, loadKernelTable } from "../run/kernels.js";
import { SwarmnetError } from "../run/errors.js";
import { progress, timed } from "../run/log.js";
import { removeThisRunOnSignals, sweepStaleRuns } from "./cleanup.js";
import { requireOuterDaemon } from "./docker-host.js";
import { ImageCatalogue, type WorkloadArchive } from "./images/catalogue.js";
import { describeKernel, probeKernel, type KernelCapabilities } from "./kernel-capabilities.js";
import { privilegeMode, type PrivilegeMode } from "./privilege.js";
import { umlKernelCapabilities, umlKernelFor, type UmlKernel } from "./uml-kernel.js";
import { sweepStaleUml } from "./uml-ledger.js";

/** What node containers are made from and how: the host side of every cluster. */
export interface HostEnvironment {
  nodeImage: (engine: string) => Promise<string>;
  workloads: WorkloadArchive;
  privilege: PrivilegeMode;
  labSubnet: string;
  /** The iptables backend every node uses, decided once per run. */
  iptables: IptablesBackend;
  /** What nodes are: containers, or UML kernels of their own. */
  nodeKind: NodeKind;
  /** The UML kernel of a kernel line (the run's default line without one), fetched on first use. */
  umlKernel: (line?: string) => Promise<UmlKernel>;
}

export interface Harness {
  config: SwarmnetConfig;
  engines: EngineTable;
  images: ImageCatalogue;
  kernel: KernelCapabilities;
  host: HostEnvironment;
}

let harness: Promise<Harness> | undefined;

/** auto: nft where the kernel gives it a nat table, as Debian's default; else legacy. */
export function iptablesBackend(setting: IptablesBackend | "auto", kernel: KernelCapabilities): IptablesBackend {
  if (setting === "auto") return kernel.nftNat ? "nft" : "legacy";
  if (setting === "nft" && !kernel.nftNat) {
    throw new SwarmnetError(
      `SWARMNET_IPTABLES=nft, but iptables-nft cannot make a nat chain on kernel ${kernel.release} ` +
        "(dockerd would fail at start): use SWARMNET_IPTABLES=legacy or auto.",
    );
  }
  return setting;
}

/** The table with `line` in it: a line of files named like a listed line stands in for it. */
function withLine(table: EngineTable, line: EngineLine): EngineTable {
  if (table.engines.includes(line)) return table;
  return { ...table, engines: [line, ...table.engines.filter((e) => e.name !== line.name)] };
}

async function start(): Promise<Harness> {
  const given = config();
  const { version } = await requireOuterDaemon();
  const where = given.dockerHost ? ` at ${given.dockerHost}` : "";
  progress(`outer Docker daemon ${version}${where}; lab subnet ${given.labSubnet}`);
  removeThisRunOnSignals();
  const swept = sweepStaleUml();
  if (swept > 0) progress(`removed ${swept} UML kernels, taps, bridges and disks left by runs that died`);
  await sweepStaleRuns();
  const images = await timed("preparing images", () => ImageCatalogue.prepare(given.nodeImages));
  // SWARMNET_ENGINE=<path>: the line is named by its dockerd, and steps can name it so.
  const settings = { ...given, engine: await images.named(given.engine) };
  const engines = withLine(loadEngineTable(), settings.engine);
  progress(`default engine ${settings.engine.name}: ${await images.origin(settings.engine)}`);
  const defaultNodeImage = await images.nodeImage(settings.engine);
  const privilege = await privilegeMode(settings.privilege, defaultNodeImage);
  const kernels = loadKernelTable();
  const umlKernels = new Map<string, Promise<UmlKernel>>();
  const umlKernel = (line = settings.umlKernel) => {
    const name = findKernel(kernels, line).name;
    if (!umlKernels.has(name)) umlKernels.set(name, umlKernelFor(findKernel(kernels, name)));
    return umlKernels.get(name) as Promise<UmlKernel>;
  };
  const uml = settings.nodeKind === "uml";
  const kernel = uml ? await umlKernelCapabilities(await umlKernel()) : await probeKernel(defaultNodeImage);
  progress(`${uml ? "nodes are UML kernels" : "nodes are containers"}; kernel: ${describeKernel(kernel)}`);
  // UML's kernels have no nf_tables nat: their root images use legacy iptables.
  const iptables = uml ? "legacy" : iptablesBackend(settings.iptables, kernel);
  progress(`nodes' iptables backend: ${iptables}${settings.iptables === "auto" ? " (auto)" : ""}`);
  const host: HostEnvironment = {
    iptables,
    labSubnet: settings.labSubnet,
    privilege,
    workloads: images.workloads,
    nodeImage: (engine) => images.nodeImage(findEngine(engines, engine)),
    nodeKind: settings.nodeKind,
    umlKernel,
  };
  return { config: settings, engines, images, kernel, host };
}

/** The process's harness, set up on first call. */
export function getHarness(): Promise<Harness> {
  harness ??= start();
  return harness;
}

/** Where the engine a daemon reports (e.g. "26.1.5+dfsg1") came from: its line's node image's origin. */
export async function engineOrigin(harness: Harness, daemonVersion: string): Promise<string> {
  const line = harness.engines.engines.find((e) => e.name === engineLineOf(harness.engines, daemonVersion));
  return line ? harness.images.origin(line) : "not a line of this run";
}
