// Where a suite run's time went, read from its cucumber messages: the run's wall
// time, the time in steps by step file and by step definition (hooks by place), and
// the cluster hand-overs by kind (fresh, reset, reused as it was).
import { basename } from "node:path";

interface Time {
  seconds: number;
  nanos: number;
}

interface Envelope {
  stepDefinition?: { id: string; pattern: { source: string }; sourceReference: { uri?: string } };
  hook?: { id: string; type?: string; sourceReference: { uri?: string; location?: { line: number } } };
  testCase?: { id: string; testSteps: { id: string; hookId?: string; stepDefinitionIds?: string[] }[] };
  testCaseStarted?: { id: string; testCaseId: string };
  testStepFinished?: { testCaseStartedId: string; testStepId: string; testStepResult: { duration: Time } };
  testRunStarted?: { timestamp: Time };
  testRunFinished?: { timestamp: Time };
  attachment?: { body: string; mediaType: string };
}

const seconds = (t: Time) => t.seconds + t.nanos / 1e9;

export interface Profile {
  scenarios: number;
  wallSeconds: number;
  stepSeconds: number;
  /** Seconds by what ran: "cluster.steps.ts", "hook steps/hooks.ts:67". */
  byFile: Map<string, number>;
  /** Seconds and count by step definition pattern (hooks by place). */
  byStep: Map<string, { seconds: number; count: number }>;
  /** Cluster hand-overs by kind, from the "cluster hand-over: <kind> in <t>s" lines. */
  handOvers: Map<string, { seconds: number; count: number }>;
}

function add<K>(map: Map<K, { seconds: number; count: number }>, key: K, s: number): void {
  const entry = map.get(key) ?? { seconds: 0, count: 0 };
  map.set(key, { seconds: entry.seconds + s, count: entry.count + 1 });
}

export function profileOf(ndjson: string): Profile {
  const definitions = new Map<string, { what: string; file: string }>();
  const cases = new Map<string, Map<string, string>>();
  const caseOfStarted = new Map<string, string>();
  const profile: Profile = {
    scenarios: 0,
    wallSeconds: 0,
    stepSeconds: 0,
    byFile: new Map(),
    byStep: new Map(),
    handOvers: new Map(),
  };
  let runStarted = 0;
  for (const line of ndjson.split("\n").filter(Boolean)) {
    const e = JSON.parse(line) as Envelope;
    if (e.stepDefinition) {
      const file = basename(e.stepDefinition.sourceReference.uri ?? "?");
      definitions.set(e.stepDefinition.id, { what: e.stepDefinition.pattern.source, file });
    }
    if (e.hook) {
      const where = `${e.hook.sourceReference.uri ?? "?"}:${e.hook.sourceReference.location?.line ?? "?"}`;
      definitions.set(e.hook.id, { what: `hook ${where}`, file: `hook ${where}` });
    }
    if (e.testCase) {
      cases.set(
        e.testCase.id,
        new Map(e.testCase.testSteps.map((s) => [s.id, s.hookId ?? s.stepDefinitionIds?.[0] ?? ""])),
      );
    }
    if (e.testCaseStarted) {
      caseOfStarted.set(e.testCaseStarted.id, e.testCaseStarted.testCaseId);
      profile.scenarios += 1;
    }
    if (e.testStepFinished) {
      const { testCaseStartedId, testStepId, testStepResult } = e.testStepFinished;
      const definition = definitions.get(cases.get(caseOfStarted.get(testCaseStartedId) ?? "")?.get(testStepId) ?? "");
      const s = seconds(testStepResult.duration);
      profile.stepSeconds += s;
      const file = definition?.file ?? "(undefined step)";
      profile.byFile.set(file, (profile.byFile.get(file) ?? 0) + s);
      add(profile.byStep, definition?.what ?? "(undefined step)", s);
    }
    const handOver = e.attachment && /^cluster hand-over: (.+) in ([\d.]+)s$/.exec(e.attachment.body);
    if (handOver) add(profile.handOvers, handOver[1], Number(handOver[2]));
    if (e.testRunStarted) runStarted = seconds(e.testRunStarted.timestamp);
    if (e.testRunFinished) profile.wallSeconds = seconds(e.testRunFinished.timestamp) - runStarted;
  }
  return profile;
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
