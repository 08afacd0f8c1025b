// `--shard i/n`: which scenarios shard i of n runs. Shards are disjoint and together
// are the whole selection. Scenarios take 3 s to 12 min, so cucumber's own shard (every
// n-th scenario) can give one shard all the long ones; here each shard gets scenarios
// by the time they took in the last run whose messages are at hand, longest first to
// the shard with the least so far (LPT), and those that go to UML nodes are spread
// apart from the others, since the two passes run side by side.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { scenarioOutcomes } from "../report/outcomes.js";
import { SwarmnetError } from "../run/errors.js";
import { UML_TAGS } from "../run/tags.js";
import { plannedScenarios, withoutPaths } from "./cucumber.js";

export class ShardError extends SwarmnetError {}

export interface Shard {
  /** 1-based, as cucumber and Playwright write it. */
  index: number;
  total: number;
}

export interface PlannedScenario {
  /** "features/x.feature:12": what cucumber-js takes as a path to run one scenario. */
  location: string;
  /** "features/x.feature: its name": the key the outcomes of a run are read by (outcomes.ts). */
  key: string;
  /** Runs on UML nodes (the other pass). */
  uml: boolean;
}

/** Takes `--shard i/n` (or `--shard=i/n`) out of cucumber-js arguments. */
export function takeShard(args: readonly string[]): { shard?: Shard; rest: string[] } {
  const rest: string[] = [];
  let value: string | undefined;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--shard") value = args[++i] ?? "";
    else if (args[i].startsWith("--shard=")) value = args[i].slice("--shard=".length);
    else rest.push(args[i]);
  }
  if (value === undefined) return { rest };
  const match = /^(\d+)\/(\d+)$/.exec(value);
  const [index, total] = match ? [Number(match[1]), Number(match[2])] : [0, 0];
  if (!match || total < 1 || index < 1 || index > total)
    throw new ShardError(`--shard ${value}: give it as i/n with 1 <= i <= n, e.g. --shard 2/4.`);
  return { shard: { index, total }, rest };
}

/** A scenario with no recorded time counts as this many seconds (a typical cluster scenario). */
export const UNKNOWN_SECONDS = 60;

/**
 * The scenarios of shard `shard`, in the order they were planned. `seconds` gives the
 * recorded time of a scenario by its key. Every scenario goes to exactly one shard.
 */
export function scenariosOfShard(
  scenarios: readonly PlannedScenario[],
  seconds: ReadonlyMap<string, number>,
  shard: Shard,
): PlannedScenario[] {
  const mine = new Set<string>();
  for (const uml of [true, false]) {
    const load = Array.from({ length: shard.total }, () => 0);
    const timeOf = (s: PlannedScenario) => seconds.get(s.key) ?? UNKNOWN_SECONDS;
    const longestFirst = scenarios
      .filter((s) => s.uml === uml)
      .sort((a, b) => timeOf(b) - timeOf(a) || a.location.localeCompare(b.location, "en"));
    for (const scenario of longestFirst) {
      const least = load.indexOf(Math.min(...load));
      load[least] += timeOf(scenario);
      if (least === shard.index - 1) mine.add(scenario.location);
    }
  }
  return scenarios.filter((s) => mine.has(s.location));
}

/** How long each scenario took in the runs whose message streams are in `reportDirs` (none found: empty). */
export async function recordedSeconds(reportDirs: readonly string[]): Promise<Map<string, number>> {
  const seconds = new Map<string, number>();
  for (const dir of reportDirs) {
    const ndjson = await readFile(join(dir, "messages.ndjson"), "utf8").catch(() => "");
    for (const outcome of scenarioOutcomes(ndjson)) seconds.set(outcome.scenario, outcome.seconds);
  }
  return seconds;
}

/**
 * cucumber-js arguments that run shard `shard` of the selection `args`: its options,
 * and the shard's scenarios by location instead of the selection's paths. Undefined
 * when the shard has no scenario (more shards than scenarios).
 */
export async function shardArgs(
  args: readonly string[],
  shard: Shard,
  seconds: ReadonlyMap<string, number>,
): Promise<{ args: string[]; scenarios: number; of: number } | undefined> {
  const onUml = new Set((await plannedScenarios(args, UML_TAGS)).map((p) => `${p.uri}:${p.location.line}`));
  const all = (await plannedScenarios(args)).map((p) => {
    const location = `${p.uri}:${p.location.line}`;
    return { location, key: `${p.uri}: ${p.name}`, uml: onUml.has(location) };
  });
  const mine = scenariosOfShard(all, seconds, shard);
  if (mine.length === 0) return undefined;
  return {
    args: [...(await withoutPaths(args)), ...mine.map((s) => s.location)],
    scenarios: mine.length,
    of: all.length,
  };
}
