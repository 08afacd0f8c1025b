// The engine lines swarmnet can run, read from fixtures/engines.json (a new line is
// one entry there, no code change): Debian's packages of a suite, or an engine's own
// files (Docker's static tarball, .deb files, a directory of binaries).
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { SwarmnetError } from "./errors.js";

/** How an engine line's files are given, besides Debian's packages. */
export const FILE_SOURCES = ["static", "debs", "binaries"] as const;
export type FileSourceKind = (typeof FILE_SOURCES)[number];

/** Where an engine line's binaries come from. */
export type EngineSource =
  /** Debian's packages of the line's suite. */
  | { kind: "debian"; packages: string }
  /**
   * static: Docker's tarball (`docker/dockerd`, `docker/containerd`, ...), a file or a URL;
   * debs: a directory of .deb files (docker-ce, docker-ce-cli, containerd.io);
   * binaries: a directory holding dockerd and the rest (a moby build beside containerd and runc).
   */
  | { kind: FileSourceKind; location: string };

export interface EngineLine {
  /** Short name used in settings and steps, e.g. "20.10". */
  name: string;
  /**
   * Debian suite of the node's system; for a Debian line also of its engine. A line of
   * files without one gets the oldest suite whose C library its files can use.
   */
  suite?: string;
  source: EngineSource;
  /** Official image to use instead where a registry is reachable. */
  official?: string;
}

export interface EngineTable {
  defaultEngine: string;
  engines: EngineLine[];
}

export const ENGINES_FILE = fileURLToPath(new URL("../../fixtures/engines.json", import.meta.url));

export class EngineTableError extends SwarmnetError {}

export class UnknownEngineError extends SwarmnetError {}

/** A URL or a path, resolved against `base` (a relative path in engines.json is relative to its directory). */
function locate(location: string, base: string): string {
  return /^https?:\/\//.test(location) ? location : resolve(base, location);
}

function parseSource(name: string, entry: Record<string, unknown>, base: string, fail: (why: string) => never) {
  const given = FILE_SOURCES.filter((kind) => entry[kind] !== undefined);
  if (given.length > 1) fail(`engine "${name}" gives ${given.join(" and ")}: one source only`);
  const [kind] = given;
  if (kind) {
    const location = entry[kind];
    if (typeof location !== "string" || location === "") fail(`engine "${name}": "${kind}" must be a path or URL`);
    if (entry.packages !== undefined) fail(`engine "${name}" gives "packages" and "${kind}": one source only`);
    return { kind, location: locate(location as string, base) };
  }
  for (const key of ["suite", "packages"]) {
    if (typeof entry[key] !== "string" || entry[key] === "")
      fail(`engine "${name}" needs a "${key}" string (or one of ${FILE_SOURCES.map((k) => `"${k}"`).join(", ")})`);
  }
  return { kind: "debian" as const, packages: entry.packages as string };
}

export function parseEngineTable(json: unknown, source = ENGINES_FILE): EngineTable {
  const fail = (why: string): never => {
    throw new EngineTableError(`${source}: ${why}`);
  };
  if (typeof json !== "object" || json === null) fail("expected a JSON object");
  const { default: defaultEngine, engines } = json as Record<string, unknown>;
  if (typeof engines !== "object" || engines === null) fail('missing "engines" object');
  const lines = Object.entries(engines as Record<string, unknown>).map(([name, raw]): EngineLine => {
    const entry = (raw ?? {}) as Record<string, unknown>;
    if (entry.suite !== undefined && (typeof entry.suite !== "string" || entry.suite === ""))
      fail(`engine "${name}": "suite" must be a Debian suite's name`);
    return {
      name,
      suite: entry.suite as string | undefined,
      source: parseSource(name, entry, dirname(source), fail),
      official: typeof entry.official === "string" ? entry.official : undefined,
    };
  });
  if (lines.length === 0) fail("no engines listed");
  if (typeof defaultEngine !== "string" || !lines.some((l) => l.name === defaultEngine)) {
    fail(`"default" must name one of: ${lines.map((l) => l.name).join(", ")}`);
  }
  return { defaultEngine: defaultEngine as string, engines: lines };
}

/** Whether a SWARMNET_ENGINE value is a path or URL rather than a line's name. */
export function isEngineLocation(value: string): boolean {
  return value.includes("/") || /\.(tgz|tar\.gz)$/.test(value);
}

/**
 * The engine line of a tarball, a directory of .deb files or a directory of binaries
 * (SWARMNET_ENGINE=<path>). Its name stays the path until the harness has built it
 * and asked its dockerd (see host/images/engine-files.ts).
 */
export function engineAt(location: string, cwd = process.cwd()): EngineLine {
  const line = (kind: FileSourceKind, at: string): EngineLine => ({ name: location, source: { kind, location: at } });
  if (/^https?:\/\//.test(location)) return line("static", location);
  const path = resolve(cwd, location);
  if (!existsSync(path)) throw new EngineTableError(`${path}: no such file or directory`);
  if (statSync(path).isFile()) {
    if (/\.(tgz|tar\.gz)$/.test(path)) return line("static", path);
    throw new EngineTableError(`${path}: not a .tgz (Docker's static tarball) nor a directory`);
  }
  const files = readdirSync(path);
  if (files.some((f) => f.endsWith(".deb"))) return line("debs", path);
  if (files.includes("dockerd")) return line("binaries", path);
  throw new EngineTableError(
    `${path}: a directory for an engine holds .deb files (docker-ce, docker-ce-cli, containerd.io) or dockerd and the binaries beside it`,
  );
}

export function loadEngineTable(): EngineTable {
  return parseEngineTable(JSON.parse(readFileSync(ENGINES_FILE, "utf8")));
}

/**
 * Of `items` named by engine line, the one whose line is the longest that fits
 * `version` ("20.10.5+dfsg1" fits 20.10.5 and 20.10; 20.10.5 wins).
 */
export function longestLineFor<T>(items: T[], version: string, line: (item: T) => string): T | undefined {
  return items
    .filter((i) => version === line(i) || version.startsWith(`${line(i)}.`) || version.startsWith(`${line(i)}+`))
    .sort((a, b) => line(b).length - line(a).length)[0];
}

/** The engine line a daemon's version belongs to ("20.10.5+dfsg1" → 20.10.5), or the version itself. */
export function engineLineOf(table: EngineTable, version: string): string {
  return longestLineFor(table.engines, version, (e) => e.name)?.name ?? version;
}

/**
 * Finds an engine line by its name ("26.1") or a longer version ("26.1.5",
 * "20.10.5+dfsg1"). The longest line name that is a prefix wins, so that "20.10.5"
 * and "20.10" can both be lines.
 */
export function findEngine(table: EngineTable, wanted: string): EngineLine {
  const found = longestLineFor(table.engines, wanted, (e) => e.name);
  if (!found) {
    throw new UnknownEngineError(
      `Unknown engine "${wanted}". Known engines: ${table.engines.map((e) => e.name).join(", ")} (see ${ENGINES_FILE}).`,
    );
  }
  return found;
}
