// Where a suite run's time went, read from its cucumber messages: the run's wall
// time, the time in steps by step file and by step definition (hooks by place), and
// the cluster hand-overs by kind (fresh, reset, reused as it was).
import { basename } from "node:path";
import type { TestStep } from "@cucumber/messages";
import type { Query } from "@cucumber/query";
import { OBSERVATION_MEDIA_TYPE, parseObservation } from "../run/observation.js";
import { queryOf, secondsOf } from "./outcomes.js";

export interface Profile {
  scenarios: number;
  wallSeconds: number;
  stepSeconds: number;
  /** Seconds by what ran: "cluster.steps.ts", "hook steps/hooks.ts:67". */
  byFile: Map<string, number>;
  /** Seconds and count by step definition pattern (hooks by place). */
  byStep: Map<string, { seconds: number; count: number }>;
  /** Cluster hand-overs by kind, from the cluster observations. */
  handOvers: Map<string, { seconds: number; count: number }>;
}

function add<K>(map: Map<K, { seconds: number; count: number }>, key: K, s: number): void {
  const entry = map.get(key) ?? { seconds: 0, count: 0 };
  map.set(key, { seconds: entry.seconds + s, count: entry.count + 1 });
}

export function profileOf(ndjson: string): Profile {
  const query = queryOf(ndjson);
  const profile: Profile = {
    scenarios: query.findAllTestCaseStarted().length,
    wallSeconds: secondsOf(query.findTestRunDuration()),
    stepSeconds: 0,
    byFile: new Map(),
    byStep: new Map(),
    handOvers: new Map(),
  };
  for (const finished of query.findAllTestStepFinished()) {
    const s = secondsOf(finished.testStepResult.duration);
    profile.stepSeconds += s;
    const testStep = query.findTestStepBy(finished);
    const { what, file } = (testStep && definitionOf(query, testStep)) ?? {
      what: "(undefined step)",
      file: "(undefined step)",
    };
    profile.byFile.set(file, (profile.byFile.get(file) ?? 0) + s);
    add(profile.byStep, what, s);
    for (const a of query.findAttachmentsBy(finished)) {
      if (a.mediaType !== OBSERVATION_MEDIA_TYPE) continue;
      const observation = parseObservation(a.body);
      if (observation.kind === "cluster") add(profile.handOvers, observation.handOver, observation.seconds);
    }
  }
  return profile;
}

/** A step's definition pattern and file, or a hook's place. */
function definitionOf(query: Query, testStep: TestStep): { what: string; file: string } | undefined {
  if (testStep.hookId) {
    const hook = query.findHookBy(testStep);
    const where = `${hook?.sourceReference.uri ?? "?"}:${hook?.sourceReference.location?.line ?? "?"}`;
    return { what: `hook ${where}`, file: `hook ${where}` };
  }
  const definition = query.findUnambiguousStepDefinitionBy(testStep);
  return definition && { what: definition.pattern.source, file: basename(definition.sourceReference.uri ?? "?") };
}

function minutes(s: number): string {
  const whole = Math.round(s);
  return `${Math.floor(whole / 60)}m${String(whole % 60).padStart(2, "0")}s`;
}
const share = (s: number, of: number) => `${((100 * s) / Math.max(of, 1e-9)).toFixed(0)}%`.padStart(4);

export function renderProfile(name: string, p: Profile, top = 15): string {
  const out = [
    `${name}: ${p.scenarios} scenarios, wall ${minutes(p.wallSeconds)}, in steps and hooks ${minutes(p.stepSeconds)} ` +
      `(${(p.stepSeconds / Math.max(p.scenarios, 1)).toFixed(1)} s a scenario)`,
    "  cluster hand-overs (inside the set-up step):",
    ...[...p.handOvers].map(
      ([kind, h]) => `    ${kind}: ${h.count} × ${(h.seconds / h.count).toFixed(1)} s = ${minutes(h.seconds)}`,
    ),
    "  by step file:",
    ...[...p.byFile]
      .sort((a, b) => b[1] - a[1])
      .map(([file, s]) => `    ${share(s, p.stepSeconds)} ${minutes(s).padStart(7)}  ${file}`),
    `  the ${top} step definitions that took longest in all (count, mean):`,
    ...[...p.byStep]
      .sort((a, b) => b[1].seconds - a[1].seconds)
      .slice(0, top)
      .map(
        ([what, h]) =>
          `    ${share(h.seconds, p.stepSeconds)} ${minutes(h.seconds).padStart(7)}  ${h.count} × ${(h.seconds / h.count).toFixed(1)} s  ${what}`,
      ),
  ];
  if (p.handOvers.size === 0) out.splice(1, 1, "  (no cluster hand-over lines: a report from before they were logged)");
  return out.join("\n");
}
