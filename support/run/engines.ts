// The engine lines swarmnet can run, read from fixtures/engines.json (a new line is
// one entry there, no code change).
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { SwarmnetError } from "./errors.js";

export interface EngineLine {
  /** Short name used in settings and steps, e.g. "20.10". */
  name: string;
  /** Debian suite whose docker.io provides this engine. */
  suite: string;
  /** Debian packages that install the engine and its CLI. */
  packages: string;
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

export function parseEngineTable(json: unknown, source = ENGINES_FILE): EngineTable {
  const fail = (why: string): never => {
    throw new EngineTableError(`${source}: ${why}`);
  };
  if (typeof json !== "object" || json === null) fail("expected a JSON object");
  const { default: defaultEngine, engines } = json as Record<string, unknown>;
  if (typeof engines !== "object" || engines === null) fail('missing "engines" object');
  const lines = Object.entries(engines as Record<string, unknown>).map(([name, raw]) => {
    const entry = (raw ?? {}) as Record<string, unknown>;
    for (const key of ["suite", "packages"]) {
      if (typeof entry[key] !== "string" || entry[key] === "") fail(`engine "${name}" needs a "${key}" string`);
    }
    return {
      name,
      suite: entry.suite as string,
      packages: entry.packages as string,
      official: typeof entry.official === "string" ? entry.official : undefined,
    };
  });
  if (lines.length === 0) fail("no engines listed");
  if (typeof defaultEngine !== "string" || !lines.some((l) => l.name === defaultEngine)) {
    fail(`"default" must name one of: ${lines.map((l) => l.name).join(", ")}`);
  }
  return { defaultEngine: defaultEngine as string, engines: lines };
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
