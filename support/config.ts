// Settings for a run, from environment variables, checked up front so that a typo
// fails with the variable's name instead of half-way through a scenario.
import { findEngine, type EngineLine, type EngineTable } from "./engines.js";

export type PrivilegeSetting = "auto" | "privileged" | "capabilities";
export type NodeImageSource = "auto" | "debian" | "official";

export interface SwarmnetConfig {
  /** Engine for nodes that a scenario does not give one (SWARMNET_ENGINE). */
  engine: EngineLine;
  /** Lab network for the nodes (SWARMNET_LAB_SUBNET), a /24 like the tutorial's. */
  labSubnet: string;
  /** Share a running cluster between scenarios of the same shape (SWARMNET_REUSE). */
  reuseClusters: boolean;
  privilege: PrivilegeSetting;
  /** Where node images come from (SWARMNET_NODE_IMAGES): official dind images, Debian's, or the first that works. */
  nodeImages: NodeImageSource;
}

export const DEFAULT_LAB_SUBNET = "192.168.33.0/24";

export class ConfigError extends Error {
  constructor(variable: string, value: string, expected: string, options?: ErrorOptions) {
    super(`${variable}="${value}" is not valid: expected ${expected}.`, options);
    this.name = "ConfigError";
  }
}

function oneOf<T extends string>(env: NodeJS.ProcessEnv, variable: string, allowed: readonly T[], fallback: T): T {
  const value = env[variable];
  if (value === undefined || value === "") return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new ConfigError(variable, value, `one of ${allowed.join(", ")}`);
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

export function parseConfig(env: NodeJS.ProcessEnv, engines: EngineTable): SwarmnetConfig {
  const engineName = env.SWARMNET_ENGINE || engines.defaultEngine;
  let engine: EngineLine;
  try {
    engine = findEngine(engines, engineName);
  } catch (error) {
    throw new ConfigError("SWARMNET_ENGINE", engineName, `one of ${engines.engines.map((e) => e.name).join(", ")}`, { cause: error });
  }
  const workerId = Number(env.CUCUMBER_WORKER_ID ?? "0");
  const labSubnet = subnetForWorker(env.SWARMNET_LAB_SUBNET || DEFAULT_LAB_SUBNET, Number.isInteger(workerId) ? workerId : 0);
  return {
    engine,
    labSubnet,
    reuseClusters: oneOf(env, "SWARMNET_REUSE", ["true", "false"], "true") === "true",
    privilege: oneOf(env, "SWARMNET_PRIVILEGE", ["auto", "privileged", "capabilities"], "auto"),
    nodeImages: oneOf(env, "SWARMNET_NODE_IMAGES", ["auto", "debian", "official"], "auto"),
  };
}
