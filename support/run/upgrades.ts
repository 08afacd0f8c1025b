// The upgrade paths swarmnet tests, read from fixtures/upgrades.json: each a pair
// of engine lines of fixtures/engines.json (a new path is one entry there, plus a
// row in features/upgrade/in-place.feature; a unit test keeps the two in step).
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { findEngine, type EngineTable } from "./engines.js";
import { SwarmnetError } from "./errors.js";

export interface UpgradePath {
  from: string;
  to: string;
}

export const UPGRADES_FILE = fileURLToPath(new URL("../../fixtures/upgrades.json", import.meta.url));

export class UpgradeTableError extends SwarmnetError {}

export function parseUpgradePaths(json: unknown, engines: EngineTable, source = UPGRADES_FILE): UpgradePath[] {
  const paths = (json as { paths?: unknown } | null)?.paths;
  if (!Array.isArray(paths) || paths.length === 0) throw new UpgradeTableError(`${source}: expected a "paths" list`);
  return paths.map((raw: unknown, i) => {
    const { from, to } = (raw ?? {}) as Record<string, unknown>;
    if (typeof from !== "string" || typeof to !== "string")
      throw new UpgradeTableError(`${source}: path ${i + 1} needs "from" and "to" engine lines`);
    try {
      return { from: findEngine(engines, from).name, to: findEngine(engines, to).name };
    } catch (error) {
      throw new UpgradeTableError(`${source}: path ${i + 1}: ${String(error)}`, { cause: error });
    }
  });
}

export function loadUpgradePaths(engines: EngineTable): UpgradePath[] {
  return parseUpgradePaths(JSON.parse(readFileSync(UPGRADES_FILE, "utf8")), engines);
}
