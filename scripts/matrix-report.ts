// Turns cucumber message streams (one per engine) into a scenario x engine matrix
// that says what changed: a scenario's status, or an observation a step logged
// (behaviour: text, values, sets, tables), or how long something took (timing).
// Values that differ on every run anyway (ids, tokens, times, the order in which
// Docker handed out addresses) are normalised away before comparing.

import { isUpgradeScenario, renderUpgradeMarkdown, upgradeRows, type UpgradeRow } from "./matrix-upgrades.js";
import { DATA_SUBNET_OFFSET } from "../support/run/config.js";

export type Status = "passed" | "failed" | "skipped" | "undefined" | "missing";

/** What one step logged, as the report attached it. */
export interface Observation {
  /** The step's text ("When I run `docker network rm my-network` on manager1"), or "(hook)". */
  step: string;
  text: string;
}

export interface ScenarioOutcome {
  /** "features/tutorial/03-overlay-network.feature: its inspect output matches the tutorial's" */
  scenario: string;
  status: Status;
  /** Observations in the order the steps logged them. */
  observations: Observation[];
  seconds: number;
  /** The first step that did not pass, and what it said (for a failed scenario). */
  failure?: { step: string; message: string };
}

export interface EngineRun {
  engine: string;
  seconds: number;
  exitCode: number;
  scenarios: ScenarioOutcome[];
  /** Where that engine's cucumber HTML report is, relative to the matrix page. */
  htmlReport?: string;
}

export type Change =
  | { scenario: string; kind: "status"; values: Record<string, Status> }
  | {
      scenario: string;
      kind: "behaviour";
      step: string;
      /** The observation per engine, ids normalised ("(none)" if an engine logged nothing there). */
      values: Record<string, string>;
      /** Per engine that differs from the first: lines it lacks and lines it has in addition. */
      diff: Record<string, { removed: string[]; added: string[] }>;
    }
  | {
      scenario: string;
      kind: "timing";
      step: string;
      /** Seconds per engine, in the order the observation gave them. */
      figures: Record<string, number[]>;
      /** Slower than the first engine by more than both thresholds. */
      flagged: boolean;
    };

export interface Matrix {
  engines: { engine: string; seconds: number; exitCode: number; reportedVersions: string[]; htmlReport?: string }[];
  rows: { scenario: string; status: Record<string, Status> }[];
  changes: Change[];
  /** In-place upgrade scenarios: from, to, status per run, what they observed across the upgrade. */
  upgrades: UpgradeRow[];
}

/**
 * A timing is flagged only when it is twice and 20 s slower than on the first engine
 * and, where the step states a deadline ("within 120 s"), has used more than half of
 * it. Recovery in swarm is timer- and gossip-driven: three runs of the same engine and
 * code here took 5.5 s, 44.5 s and 74 s for the overlay to come back after a
 * control-plane cut was lifted (deadline 120 s), and 0.1 s, then 6 s, for a task to be
 * back after a daemon restart. What matters to an upgrade is a recovery that creeps
 * up on its deadline.
 */
export const TIMING_THRESHOLD = { ratio: 2, seconds: 20, ofDeadline: 0.5 } as const;

const RANK: Record<string, number> = {
  PASSED: 0,
  SKIPPED: 1,
  PENDING: 2,
  UNDEFINED: 3,
  AMBIGUOUS: 3,
  FAILED: 4,
  UNKNOWN: 4,
};

interface Envelope {
  pickle?: { id: string; uri: string; name: string; steps: { id: string; text: string }[] };
  testCase?: { id: string; pickleId: string; testSteps: { id: string; pickleStepId?: string }[] };
  testCaseStarted?: { id: string; testCaseId: string; timestamp: { seconds: number; nanos: number } };
  testCaseFinished?: { testCaseStartedId: string; timestamp: { seconds: number; nanos: number } };
  testStepFinished?: {
    testCaseStartedId: string;
    testStepId: string;
    testStepResult: { status: string; message?: string };
  };
  attachment?: { testCaseStartedId?: string; testStepId?: string; body: string; mediaType: string };
}

const secondsOf = (t: { seconds: number; nanos: number }) => t.seconds + t.nanos / 1e9;

export function scenarioOutcomes(ndjson: string): ScenarioOutcome[] {
  const pickles = new Map<string, NonNullable<Envelope["pickle"]>>();
  const cases = new Map<string, NonNullable<Envelope["testCase"]>>();
  const started = new Map<string, { testCaseId: string; at: number }>();
  const finished = new Map<string, number>();
  const worst = new Map<string, string>();
  const firstFailure = new Map<string, { testStepId: string; message: string }>();
  const logs = new Map<string, Observation[]>();
  for (const line of ndjson.split("\n").filter(Boolean)) {
    const e = JSON.parse(line) as Envelope;
    if (e.pickle) pickles.set(e.pickle.id, e.pickle);
    if (e.testCase) cases.set(e.testCase.id, e.testCase);
    if (e.testCaseStarted) {
      started.set(e.testCaseStarted.id, {
        testCaseId: e.testCaseStarted.testCaseId,
        at: secondsOf(e.testCaseStarted.timestamp),
      });
    }
    if (e.testCaseFinished) finished.set(e.testCaseFinished.testCaseStartedId, secondsOf(e.testCaseFinished.timestamp));
    if (e.testStepFinished) {
      const { testCaseStartedId: id, testStepId, testStepResult } = e.testStepFinished;
      if ((RANK[testStepResult.status] ?? 4) >= RANK.PENDING && !firstFailure.has(id))
        firstFailure.set(id, { testStepId, message: testStepResult.message ?? testStepResult.status });
      const previous = worst.get(id) ?? "PASSED";
      worst.set(id, (RANK[testStepResult.status] ?? 4) > (RANK[previous] ?? 0) ? testStepResult.status : previous);
    }
    const a = e.attachment;
    if (a?.testCaseStartedId && a.mediaType.startsWith("text/x.cucumber.log")) {
      logs.set(a.testCaseStartedId, [
        ...(logs.get(a.testCaseStartedId) ?? []),
        { step: a.testStepId ?? "", text: a.body },
      ]);
    }
  }
  return [...started].map(([id, { testCaseId, at }]) => {
    const testCase = cases.get(testCaseId);
    const pickle = pickles.get(testCase?.pickleId ?? "");
    const stepText = (testStepId: string) => {
      const pickleStepId = testCase?.testSteps.find((s) => s.id === testStepId)?.pickleStepId;
      return pickle?.steps.find((s) => s.id === pickleStepId)?.text ?? "(hook)";
    };
    const failure = firstFailure.get(id);
    return {
      scenario: pickle ? `${pickle.uri}: ${pickle.name}` : testCaseId,
      status: toStatus(worst.get(id) ?? "PASSED"),
      observations: (logs.get(id) ?? []).map((o) => ({ step: stepText(o.step), text: o.text })),
      seconds: Math.max(0, (finished.get(id) ?? at) - at),
      ...(failure && { failure: { step: stepText(failure.testStepId), message: failure.message } }),
    };
  });
}

function toStatus(status: string): Status {
  if (status === "PASSED") return "passed";
  if (status === "SKIPPED") return "skipped";
  if (status === "UNDEFINED" || status === "AMBIGUOUS" || status === "PENDING") return "undefined";
  return "failed";
}

const DURATION = /(\d+(?:\.\d+)?) ?s\b/g;

/**
 * An observation without what differs on every run anyway: ids, tokens, times,
 * progress lines, blank lines and trailing spaces; lists of addresses sorted (Docker
 * hands them out in a timing-dependent order); sample counts. Durations are kept:
 * see `withoutDurations`.
 */
export function comparable(observation: string): string {
  return (
    observation
      .replace(/SWMTKN-1-[0-9a-z-]+/g, "SWMTKN-1-…")
      .replace(/\b[0-9a-z]{25}\b/g, "<id>")
      .replace(/\b[0-9a-f]{12,64}\b/g, "<id>")
      .replace(/\b(?=[0-9a-z]*\d)[0-9a-z]{12}\b/g, "<id>")
      .replace(/\d{4}-\d\d-\d\dT[\d:.]+Z/g, "<time>")
      .replace(/engine [^;\n]+/g, "engine <version>")
      .replace(/\(\d+ samples\)/g, "(<n> samples)")
      // How many requests a watching client made in its window is timing; how many failed is not.
      .replace(/\b\d+ answered\b/g, "<n> answered")
      .replace(/(?:\d{1,3}\.){3}\d{1,3}(?:\/\d+)?(?:, (?:\d{1,3}\.){3}\d{1,3}(?:\/\d+)?)+/g, (list) =>
        list.split(", ").sort().join(", "),
      )
      .split("\n")
      .map((line) => line.trim())
      .filter((line) => line !== "" && !/^(overall progress|verify: Waiting|\d+\/\d+:)/.test(line))
      .join("\n")
  );
}

export function withoutDurations(text: string): string {
  return text.replace(DURATION, "<t> s");
}

export function durationsIn(text: string): number[] {
  return [...text.matchAll(DURATION)].map((m) => Number(m[1]));
}

/** The engine versions a run's nodes reported ("engine 26.1.5+dfsg1" in the logs). */
function reportedVersions(run: EngineRun): string[] {
  return [
    ...new Set(
      run.scenarios.flatMap((s) =>
        s.observations.flatMap((o) => [...o.text.matchAll(/engine ([^;\s]+)/g)].map((m) => m[1])),
      ),
    ),
  ];
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * Where the scenario's cucumber worker put its cluster: each worker has its own lab
 * subnet (and data network beside it), read from the scenario's "cluster: manager1
 * 192.168.34.10 engine ..." line. Addresses in it are the worker's, not the engine's:
 * they become "<lab>.10" and "<data>.10" before runs are compared.
 */
export function withoutWorkerSubnets(observations: readonly { text: string }[]): (text: string) => string {
  const lab = observations
    .map((o) => /^cluster: \S+ (\d+)\.(\d+)\.(\d+)\.\d+ engine/.exec(o.text))
    .find((m) => m !== null);
  if (!lab) return (text) => text;
  const [a, b, c] = lab.slice(1, 4);
  const network = (third: number) => new RegExp(`\\b${a}\\.${b}\\.${third}\\.(?=\\d)`, "g");
  const [labNetwork, dataNetwork] = [network(Number(c)), network(Number(c) + DATA_SUBNET_OFFSET)];
  return (text) => text.replace(labNetwork, "<lab>.").replace(dataNetwork, "<data>.");
}

/** Observations keyed by step and by their order within the step, so that runs line up. */
function keyed(outcome: ScenarioOutcome | undefined, versions: string[]): Map<string, { step: string; text: string }> {
  // The engine's own version string is what differs by definition; where a step prints it, it is not a change.
  const version = versions.length ? new RegExp(versions.map(escapeRegExp).join("|"), "g") : undefined;
  const unplaced = withoutWorkerSubnets(outcome?.observations ?? []);
  const seen = new Map<string, number>();
  const out = new Map<string, { step: string; text: string }>();
  for (const o of outcome?.observations ?? []) {
    const n = seen.get(o.step) ?? 0;
    seen.set(o.step, n + 1);
    const text = unplaced(version ? o.text.replace(version, "<engine version>") : o.text);
    out.set(`${o.step}\u0000${n}`, { step: o.step, text: comparable(text) });
  }
  return out;
}

function lineDiff(base: string, other: string): { removed: string[]; added: string[] } {
  const [a, b] = [base.split("\n"), other.split("\n")];
  return { removed: a.filter((l) => !b.includes(l)), added: b.filter((l) => !a.includes(l)) };
}

/** "within 120 s, ..." → 120. */
export function stepDeadline(step: string): number | undefined {
  const match = /\bwithin (\d+) s\b/.exec(step);
  return match ? Number(match[1]) : undefined;
}

function timingFlagged(base: number[], other: number[], deadline: number | undefined): boolean {
  return other.some((value, i) => {
    const was = base[i];
    if (was === undefined || value <= was * TIMING_THRESHOLD.ratio || value - was <= TIMING_THRESHOLD.seconds)
      return false;
    return deadline === undefined || value > deadline * TIMING_THRESHOLD.ofDeadline;
  });
}

function scenarioChanges(scenario: string, runs: EngineRun[], versions: string[][]): Change[] {
  const perEngine = runs.map((r, i) =>
    keyed(
      r.scenarios.find((s) => s.scenario === scenario),
      versions[i],
    ),
  );
  const keys = [...new Set(perEngine.flatMap((m) => [...m.keys()]))];
  const changes: Change[] = [];
  for (const key of keys) {
    const step = perEngine.find((m) => m.has(key))?.get(key)?.step ?? "";
    const texts = perEngine.map((m) => m.get(key)?.text ?? "(none)");
    const shapes = texts.map(withoutDurations);
    if (shapes.some((s) => s !== shapes[0])) {
      const values = Object.fromEntries(runs.map((r, i) => [r.engine, texts[i]]));
      const diff = Object.fromEntries(
        runs
          .slice(1)
          .flatMap((r, i) => (shapes[i + 1] === shapes[0] ? [] : [[r.engine, lineDiff(texts[0], texts[i + 1])]])),
      );
      changes.push({ scenario, kind: "behaviour", step, values, diff });
      continue;
    }
    const figures = texts.map(durationsIn);
    if (figures[0].length === 0 || figures.every((f) => f.join() === figures[0].join())) continue;
    changes.push({
      scenario,
      kind: "timing",
      step,
      figures: Object.fromEntries(runs.map((r, i) => [r.engine, figures[i]])),
      flagged: figures.slice(1).some((f) => timingFlagged(figures[0], f, stepDeadline(step))),
    });
  }
  return changes;
}

export interface MatrixOptions {
  /** Only scenarios every run has (e.g. a run that left some to another pass). */
  onlyCommon?: boolean;
}

export function buildMatrix(runs: EngineRun[], { onlyCommon = false }: MatrixOptions = {}): Matrix {
  const everywhere = (scenario: string) => runs.every((r) => r.scenarios.some((s) => s.scenario === scenario));
  const scenarios = [...new Set(runs.flatMap((r) => r.scenarios.map((s) => s.scenario)))]
    .filter((s) => !onlyCommon || everywhere(s))
    .sort();
  const status = (run: EngineRun, scenario: string): Status =>
    run.scenarios.find((s) => s.scenario === scenario)?.status ?? "missing";
  const rows = scenarios.map((scenario) => ({
    scenario,
    status: Object.fromEntries(runs.map((r) => [r.engine, status(r, scenario)])) as Record<string, Status>,
  }));
  const versions = runs.map(reportedVersions);
  const changes: Change[] = rows.flatMap((row): Change[] => {
    // A scenario that failed or was skipped somewhere has its status as the change;
    // its observations stop where it stopped and would only repeat that.
    const statuses = new Set(Object.values(row.status));
    if (statuses.size > 1) return [{ scenario: row.scenario, kind: "status", values: row.status }];
    // Upgrade scenarios name their engines themselves and run alike in every engine
    // run: what they saw goes into the upgrade table, not into a comparison of runs.
    if (isUpgradeScenario(row.scenario)) return [];
    return scenarioChanges(row.scenario, runs, versions);
  });

  return {
    engines: runs.map((r, i) => ({
      engine: r.engine,
      seconds: Math.round(r.seconds),
      exitCode: r.exitCode,
      reportedVersions: versions[i],
      htmlReport: r.htmlReport,
    })),
    rows,
    changes,
    upgrades: upgradeRows(runs),
  };
}

/** Changes worth a person's attention: status, behaviour, and flagged timings. */
export function notableChanges(matrix: Matrix): Change[] {
  return matrix.changes.filter((c) => c.kind !== "timing" || c.flagged);
}

const MARK: Record<Status, string> = {
  passed: "passed",
  failed: "**FAILED**",
  skipped: "skipped",
  undefined: "undefined",
  missing: "—",
};

function describeChange(change: Change, engines: string[]): string[] {
  if (change.kind === "status") return [`- status: ${engines.map((e) => `${e} ${change.values[e]}`).join(", ")}`];
  if (change.kind === "timing") {
    const figures = engines.map((e) => `${e}: ${change.figures[e].map((s) => `${s} s`).join(", ") || "—"}`).join("; ");
    return [`- timing${change.flagged ? " (**slower past the threshold**)" : ""}, step \`${change.step}\`: ${figures}`];
  }
  const [base, ...others] = engines;
  const lines = [`- behaviour, step \`${change.step}\`:`];
  for (const engine of others) {
    const d = change.diff[engine];
    if (!d) continue;
    lines.push(`  - ${base} → ${engine}:`);
    lines.push(...d.removed.map((l) => `    - \`- ${l}\``), ...d.added.map((l) => `    - \`+ ${l}\``));
  }
  return lines;
}

export function renderMatrixMarkdown(matrix: Matrix): string {
  const names = matrix.engines.map((e) => e.engine);
  const notable = notableChanges(matrix);
  const byScenario = new Map<string, Change[]>();
  for (const c of notable) byScenario.set(c.scenario, [...(byScenario.get(c.scenario) ?? []), c]);
  const timings = matrix.changes.filter((c): c is Extract<Change, { kind: "timing" }> => c.kind === "timing");
  return [
    "# Engine matrix",
    "",
    "| engine | versions the nodes reported | time | exit |",
    "|---|---|---|---|",
    ...matrix.engines.map((e) => `| ${e.engine} | ${e.reportedVersions.join(", ")} | ${e.seconds}s | ${e.exitCode} |`),
    "",
    "## What changed between versions",
    "",
    `Compared with ${names[0]}. Ids, tokens, times and the order of handed-out addresses are normalised; timings`,
    `are flagged only when both ${Math.round((TIMING_THRESHOLD.ratio - 1) * 100)} % and ${TIMING_THRESHOLD.seconds} s slower.`,
    "",
    ...(byScenario.size === 0
      ? ["Nothing: every scenario has the same status and the same observations on every engine."]
      : [...byScenario].flatMap(([scenario, changes]) => [
          `### ${scenario}`,
          "",
          ...changes.flatMap((c) => describeChange(c, names)),
          "",
        ])),
    "",
    "## Timings",
    "",
    ...(timings.length === 0
      ? ["No step reported a duration that differs between engines."]
      : [
          `| scenario | step | ${names.join(" | ")} | flagged |`,
          `|---|---|${names.map(() => "---").join("|")}|---|`,
          ...timings.map(
            (t) =>
              `| ${t.scenario} | ${t.step} | ${names.map((n) => t.figures[n].map((s) => `${s} s`).join(", ")).join(" | ")} | ${t.flagged ? "yes" : ""} |`,
          ),
        ]),
    "",
    "## Upgrades in place",
    "",
    ...renderUpgradeMarkdown(matrix.upgrades, names),
    "",
    "## Scenarios",
    "",
    `| scenario | ${names.join(" | ")} |`,
    `|---|${names.map(() => "---").join("|")}|`,
    ...matrix.rows.map((r) => `| ${r.scenario} | ${names.map((n) => MARK[r.status[n]]).join(" | ")} |`),
    "",
  ].join("\n");
}
