// Every setting of a run, read from environment variables and checked in one place,
// so that a typo fails with the variable's name instead of half-way through a scenario.
import { availableParallelism, homedir } from "node:os";
import { join } from "node:path";
import { findEngine, loadEngineTable, type EngineLine, type EngineTable } from "./engines.js";
import { SwarmnetError } from "./errors.js";
import { findKernel, loadKernelTable } from "./kernels.js";

export type PrivilegeSetting = "auto" | "privileged" | "capabilities";
export type NodeImageSource = "auto" | "debian" | "official";
export type KernelSetting = "auto" | "host" | "uml";
export const NODE_KINDS = ["container", "uml"] as const;
export type NodeKind = (typeof NODE_KINDS)[number];
export type IptablesBackend = "nft" | "legacy";
export const IPTABLES_BACKENDS: readonly IptablesBackend[] = ["nft", "legacy"];

export interface SwarmnetConfig {
  /** Engine for nodes that a scenario does not give one (SWARMNET_ENGINE). */
  engine: EngineLine;
  /** Lab network of this worker's clusters (SWARMNET_LAB_SUBNET, moved up by the worker id). */
  labSubnet: string;
  /** Share a running cluster between scenarios of the same shape (SWARMNET_REUSE). */
  reuseClusters: boolean;
  /** How node containers get their rights (SWARMNET_PRIVILEGE). */
  privilege: PrivilegeSetting;
  /** Where node images come from (SWARMNET_NODE_IMAGES): official dind images, Debian's, or the first that works. */
  nodeImages: NodeImageSource;
  /** Multiplies every polling deadline (SWARMNET_TIMEOUT_SCALE), for slow machines. */
  timeoutScale: number;
  /** Debian mirror for seeding base images without a registry (SWARMNET_DEBIAN_MIRROR). */
  debianMirror: string;
  /** Where the workload image archive is kept (SWARMNET_CACHE_DIR, else $XDG_CACHE_HOME/swarmnet). */
  cacheDir: string;
  /** Cucumber workers (SWARMNET_PARALLEL; default: defaultWorkers(cores)). */
  parallel: number;
  /** This process's cucumber worker (CUCUMBER_WORKER_ID, set by cucumber), 0 when serial. */
  workerId: number;
  /**
   * Which kernel runs scenarios that need IPVS or ESP (SWARMNET_KERNEL): the host's,
   * UML nodes, or (auto) the host's where it has them, else UML nodes.
   */
  kernel: KernelSetting;
  /**
   * What swarm nodes are (SWARMNET_NODES): Docker-in-Docker containers on the host's
   * kernel, or User-Mode Linux kernels of their own. The suite runner sets it for the
   * pass that runs the scenarios the host kernel cannot.
   */
  nodeKind: NodeKind;
  /** The kernel line UML nodes boot unless a step names one (SWARMNET_UML_KERNEL; fixtures/kernels.json). */
  umlKernel: string;
  /**
   * The nodes' iptables backend (SWARMNET_IPTABLES): nft (Debian's default), legacy,
   * or (auto) nft where the kernel gives it a nat table, else legacy.
   */
  iptables: IptablesBackend | "auto";
  /** Where cucumber's reports go (SWARMNET_REPORT_DIR). */
  reportDir: string;
  /**
   * How a probe gets into a namespace (SWARMNET_PROBES): a `docker run --rm` of the
   * probe image per probe (container), or the probe image's files entered with
   * nsenter from the node, no container per probe (nsenter).
   */
  probes: ProbeMode;
  /**
   * What a scenario that needs IPVS or ESP does where no kernel here has them
   * (SWARMNET_ALLOW_KERNEL_SKIPS): "skip", saying why, or "fail". Default: fail under
   * CI=true (a green run must not hide scenarios that never ran), skip elsewhere.
   */
  kernelSkips: "skip" | "fail";
}

export const PROBE_MODES = ["container", "nsenter"] as const;
export type ProbeMode = (typeof PROBE_MODES)[number];

/** SWARMNET_MATRIX_IPTABLES: the backends `npm run matrix` runs every engine on ("nft,legacy"); none: the run's own. */
export function matrixIptables(env: Env = process.env): IptablesBackend[] {
  const value = set(env, "SWARMNET_MATRIX_IPTABLES");
  if (value === undefined) return [];
  const backends = value.split(",").map((b) => b.trim());
  for (const backend of backends) {
    if (!(IPTABLES_BACKENDS as readonly string[]).includes(backend)) {
      throw new ConfigError(
        "SWARMNET_MATRIX_IPTABLES",
        value,
        `a comma-separated list of ${IPTABLES_BACKENDS.join(", ")}`,
      );
    }
  }
  return backends as IptablesBackend[];
}

export const DEFAULT_LAB_SUBNET = "192.168.33.0/24";
export const DEFAULT_DEBIAN_MIRROR = "http://deb.debian.org/debian";

export class ConfigError extends SwarmnetError {
  constructor(variable: string, value: string, expected: string, options?: ErrorOptions) {
    super(`${variable}="${value}" is not valid: expected ${expected}.`, options);
  }
}

type Env = Record<string, string | undefined>;

function set(env: Env, variable: string): string | undefined {
  const value = env[variable];
  return value === undefined || value === "" ? undefined : value;
}

function oneOf<T extends string>(env: Env, variable: string, allowed: readonly T[], fallback: T): T {
  const value = set(env, variable);
  if (value === undefined) return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new ConfigError(variable, value, `one of ${allowed.join(", ")}`);
}

function wholeNumber(env: Env, variable: string, fallback: number, min: number): number {
  const value = set(env, variable);
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new ConfigError(variable, value, `a whole number >= ${min}`);
  return n;
}

function positiveNumber(env: Env, variable: string, fallback: number): number {
  const value = set(env, variable);
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new ConfigError(variable, value, "a number greater than 0, e.g. 2 or 0.5");
  return n;
}

/** Parses "a.b.c.0/24" and returns its first three octets. */
export function parseLabSubnet(cidr: string): [number, number, number] {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.0\/24$/.exec(cidr);
  const octets = match?.slice(1, 4).map(Number);
  if (!octets || octets.some((o) => o > 255)) {
    throw new ConfigError("SWARMNET_LAB_SUBNET", cidr, "an IPv4 /24 such as 192.168.33.0/24");
  }
  return octets as [number, number, number];
}

/**
 * Parallel cucumber workers each get their own lab subnet, the third octet moved
 * up by the worker id, so that clusters of different workers never share addresses.
 */
export function subnetForWorker(cidr: string, workerId: number): string {
  const [a, b, c] = parseLabSubnet(cidr);
  if (c + workerId > 255) throw new ConfigError("SWARMNET_LAB_SUBNET", cidr, `room for ${workerId + 1} worker subnets`);
  return `${a}.${b}.${c + workerId}.0/24`;
}

/** How far the data network's third octet is from the lab network's (192.168.33.0/24 → 192.168.133.0/24). */
export const DATA_SUBNET_OFFSET = 100;

/** The data network of clusters that carry VXLAN on a second interface: beside the lab subnet. */
export function dataSubnetFor(labSubnet: string): string {
  const [a, b, c] = parseLabSubnet(labSubnet);
  if (c + DATA_SUBNET_OFFSET > 255) {
    throw new ConfigError(
      "SWARMNET_LAB_SUBNET",
      labSubnet,
      `a third octet of at most ${255 - DATA_SUBNET_OFFSET}, leaving room for the data network`,
    );
  }
  return `${a}.${b}.${c + DATA_SUBNET_OFFSET}.0/24`;
}

/** How far a UML pass's lab subnet's third octet is from the lab subnet's (192.168.33.0/24 → 192.168.83.0/24). */
export const UML_SUBNET_OFFSET = 50;

/** The lab subnet of the pass whose nodes are UML kernels, beside the container pass's workers. */
export function umlSubnetFor(labSubnet: string): string {
  const [a, b, c] = parseLabSubnet(labSubnet);
  if (c + UML_SUBNET_OFFSET + DATA_SUBNET_OFFSET > 255) {
    throw new ConfigError(
      "SWARMNET_LAB_SUBNET",
      labSubnet,
      `a third octet of at most ${255 - UML_SUBNET_OFFSET - DATA_SUBNET_OFFSET}, leaving room for UML nodes' networks`,
    );
  }
  return `${a}.${b}.${c + UML_SUBNET_OFFSET}.0/24`;
}

/** Node n (0-based) of a cluster sits at .10 + n, as in the Docker tutorial (192.168.33.10). */
export function nodeAddress(cidr: string, index: number): string {
  const [a, b, c] = parseLabSubnet(cidr);
  if (index < 0 || index > 200) throw new RangeError(`node index ${index} is outside 0..200`);
  return `${a}.${b}.${c}.${10 + index}`;
}

export function gatewayAddress(cidr: string): string {
  const [a, b, c] = parseLabSubnet(cidr);
  return `${a}.${b}.${c}.1`;
}

/**
 * Workers by default: one on one core; on more, one per core and one more, at most
 * this many. The extra worker runs short scenarios while the long ones wait on real
 * time (gossip rejoining, the kernel forgetting, engines swapped in place), which
 * would otherwise leave a core idle. Each worker keeps a 3-node cluster and a lab
 * subnet of its own, so more is the user's call (SWARMNET_PARALLEL).
 */
export const DEFAULT_MAX_WORKERS = 3;

export function defaultWorkers(cores: number): number {
  return cores > 1 ? Math.min(cores + 1, DEFAULT_MAX_WORKERS) : 1;
}

export function parseConfig(
  env: Env,
  engines: EngineTable,
  home = homedir(),
  cores = availableParallelism(),
): SwarmnetConfig {
  const engineName = set(env, "SWARMNET_ENGINE") ?? engines.defaultEngine;
  let engine: EngineLine;
  try {
    engine = findEngine(engines, engineName);
  } catch (error) {
    const names = engines.engines.map((e) => e.name).join(", ");
    throw new ConfigError("SWARMNET_ENGINE", engineName, `one of ${names}`, { cause: error });
  }
  const workerId = wholeNumber(env, "CUCUMBER_WORKER_ID", 0, 0);
  return {
    engine,
    labSubnet: subnetForWorker(set(env, "SWARMNET_LAB_SUBNET") ?? DEFAULT_LAB_SUBNET, workerId),
    reuseClusters: oneOf(env, "SWARMNET_REUSE", ["true", "false"], "true") === "true",
    privilege: oneOf(env, "SWARMNET_PRIVILEGE", ["auto", "privileged", "capabilities"], "auto"),
    nodeImages: oneOf(env, "SWARMNET_NODE_IMAGES", ["auto", "debian", "official"], "auto"),
    timeoutScale: positiveNumber(env, "SWARMNET_TIMEOUT_SCALE", 1),
    debianMirror: set(env, "SWARMNET_DEBIAN_MIRROR") ?? DEFAULT_DEBIAN_MIRROR,
    cacheDir: set(env, "SWARMNET_CACHE_DIR") ?? join(set(env, "XDG_CACHE_HOME") ?? join(home, ".cache"), "swarmnet"),
    parallel: wholeNumber(env, "SWARMNET_PARALLEL", defaultWorkers(cores), 1),
    workerId,
    kernel: oneOf(env, "SWARMNET_KERNEL", ["auto", "host", "uml"], "auto"),
    iptables: oneOf(env, "SWARMNET_IPTABLES", ["auto", ...IPTABLES_BACKENDS], "auto"),
    nodeKind: oneOf(env, "SWARMNET_NODES", NODE_KINDS, "container"),
    umlKernel: umlKernelLine(env),
    reportDir: set(env, "SWARMNET_REPORT_DIR") ?? "reports",
    probes: oneOf(env, "SWARMNET_PROBES", PROBE_MODES, "container"),
    kernelSkips:
      oneOf(env, "SWARMNET_ALLOW_KERNEL_SKIPS", ["true", "false"], set(env, "CI") === "true" ? "false" : "true") ===
      "true"
        ? "skip"
        : "fail",
  };
}

function umlKernelLine(env: Env): string {
  const table = loadKernelTable();
  const wanted = set(env, "SWARMNET_UML_KERNEL") ?? table.defaultKernel;
  try {
    return findKernel(table, wanted).name;
  } catch (error) {
    throw new ConfigError("SWARMNET_UML_KERNEL", wanted, `one of ${table.kernels.map((k) => k.name).join(", ")}`, {
      cause: error,
    });
  }
}

let current: SwarmnetConfig | undefined;

/** This process's settings, read and checked on first use. */
export function config(): SwarmnetConfig {
  current ??= parseConfig(process.env, loadEngineTable());
  return current;
}
