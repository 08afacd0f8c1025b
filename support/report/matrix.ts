// Turns cucumber message streams (one per engine) into a scenario x engine matrix
// that says what changed: a scenario's status, or an observation a step logged
// (behaviour: text, values, sets, tables), or how long something took (timing).
// Values that differ on every run anyway (ids, tokens, times, the order in which
// Docker handed out addresses) are normalised away before comparing.

import { observedOf, type EngineRun, type Logged, type ScenarioOutcome, type Status } from "./outcomes.js";
import { isUpgradeScenario, renderUpgradeMarkdown, upgradeRows, type UpgradeRow } from "./upgrades.js";
import { escapeRegExp } from "../text/regexp.js";

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
 * it. Recovery in swarm is driven by timers and gossip, and two runs of one engine
 * differ widely; what matters to an upgrade is a recovery that creeps up on its
 * deadline. Evidence: docs/decisions/timing-threshold.md.
 */
export const TIMING_THRESHOLD = { ratio: 2, seconds: 20, ofDeadline: 0.5 } as const;

const DURATION = /\b\d+(?:\.\d+)? ?s\b/g;

/**
 * A log text without what differs on every run anyway: ids, tokens, times, durations
 * (timings are compared from timing observations), progress lines, blank lines and
 * trailing spaces; lists of addresses sorted (Docker hands them out in a
 * timing-dependent order); sample and request counts.
 */
export function comparable(text: string): string {
  return (
    text
      .replace(/SWMTKN-1-[0-9a-z-]+/g, "SWMTKN-1-…")
      .replace(/\b[0-9a-z]{25}\b/g, "<id>")
      .replace(/\b[0-9a-f]{12,64}\b/g, "<id>")
      .replace(/\b(?=[0-9a-z]*\d)[0-9a-z]{12}\b/g, "<id>")
      .replace(/\d{4}-\d\d-\d\dT[\d:.]+Z/g, "<time>")
      .replace(/engine [^;\n]+/g, "engine <version>")
      .replace(/\(\d+ samples\)/g, "(<n> samples)")
      // How many requests a watching client made in its window is timing; how many failed is not.
      .replace(/\b\d+ answered\b/g, "<n> answered")
      .replace(DURATION, "<t> s")
      .replace(/(?:\d{1,3}\.){3}\d{1,3}(?:\/\d+)?(?:, (?:\d{1,3}\.){3}\d{1,3}(?:\/\d+)?)+/g, (list) =>
        list.split(", ").sort().join(", "),
      )
      .split("\n")
      .map((line) => line.trim())
      .filter((line) => line !== "" && !/^(overall progress|verify: Waiting|\d+\/\d+:)/.test(line))
      .join("\n")
  );
}

/** The engine versions a run's nodes reported: its clusters' nodes, and the engines upgrades went to. */
function reportedVersions(run: EngineRun): string[] {
  return [
    ...new Set(
      run.scenarios.flatMap((s) => [
        ...observedOf(s, "cluster").flatMap((o) => o.observation.nodes.map((n) => n.engine)),
        ...observedOf(s, "upgrade").map((o) => o.observation.to),
      ]),
    ),
  ];
}

/**
 * Where the scenario's cucumber worker put its cluster: each worker has its own lab
 * subnet (and data network beside it), as the cluster observation says. Addresses in
 * it are the worker's, not the engine's: they become "<lab>.10" and "<data>.10" before
 * runs are compared.
 */
export function withoutWorkerSubnets(outcome: ScenarioOutcome | undefined): (text: string) => string {
  const cluster = observedOf(outcome, "cluster")[0]?.observation;
  if (!cluster) return (text) => text;
  const prefix = (subnet: string) => new RegExp(`\\b${escapeRegExp(subnet.replace(/\.0\/24$/, "."))}(?=\\d)`, "g");
  const [lab, data] = [prefix(cluster.labSubnet), prefix(cluster.dataSubnet)];
  return (text) => text.replace(lab, "<lab>.").replace(data, "<data>.");
}

/** Items keyed by step and by their order within the step, so that runs line up. */
function keyedByStep<T extends { step: string }>(items: T[]): Map<string, T> {
  const seen = new Map<string, number>();
  const out = new Map<string, T>();
  for (const item of items) {
    const n = seen.get(item.step) ?? 0;
    seen.set(item.step, n + 1);
    out.set(`${item.step}\u0000${n}`, item);
  }
  return out;
}

/** Log texts, comparable, keyed so that runs line up. */
function keyedTexts(outcome: ScenarioOutcome | undefined, versions: string[]): Map<string, Logged> {
  // The engine's own version string is what differs by definition; where a step prints it, it is not a change.
  const version = versions.length ? new RegExp(versions.map(escapeRegExp).join("|"), "g") : undefined;
  const unplaced = withoutWorkerSubnets(outcome);
  return keyedByStep(
    (outcome?.logged ?? []).map((o) => ({
      step: o.step,
      text: comparable(unplaced(version ? o.text.replace(version, "<engine version>") : o.text)),
    })),
  );
}

function lineDiff(base: string, other: string): { removed: string[]; added: string[] } {
  const [a, b] = [base.split("\n"), other.split("\n")];
  return { removed: a.filter((l) => !b.includes(l)), added: b.filter((l) => !a.includes(l)) };
}

/** "within 120 s, ..." → 120: the deadline a Gherkin step states. */
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

function behaviourChanges(
  scenario: string,
  runs: EngineRun[],
  outcomes: (ScenarioOutcome | undefined)[],
  versions: string[][],
): Change[] {
  const perEngine = outcomes.map((o, i) => keyedTexts(o, versions[i]));
  const changes: Change[] = [];
  for (const key of new Set(perEngine.flatMap((m) => [...m.keys()]))) {
    const step = perEngine.find((m) => m.has(key))?.get(key)?.step ?? "";
    const texts = perEngine.map((m) => m.get(key)?.text ?? "(none)");
    if (texts.every((t) => t === texts[0])) continue;
    const values = Object.fromEntries(runs.map((r, i) => [r.engine, texts[i]]));
    const diff = Object.fromEntries(
      runs
        .slice(1)
        .flatMap((r, i) => (texts[i + 1] === texts[0] ? [] : [[r.engine, lineDiff(texts[0], texts[i + 1])]])),
    );
    changes.push({ scenario, kind: "behaviour", step, values, diff });
  }
  return changes;
}

/** Timing observations per step, compared as figures: a step's timings in the order it observed them. */
function timingChanges(scenario: string, runs: EngineRun[], outcomes: (ScenarioOutcome | undefined)[]): Change[] {
  const perEngine = outcomes.map((o) => {
    const byStep = new Map<string, number[]>();
    for (const { step, observation } of observedOf(o, "timing"))
      byStep.set(step, [...(byStep.get(step) ?? []), Number(observation.seconds.toFixed(1))]);
    return byStep;
  });
  const changes: Change[] = [];
  for (const step of new Set(perEngine.flatMap((m) => [...m.keys()]))) {
    const figures = perEngine.map((m) => m.get(step) ?? []);
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

function scenarioChanges(scenario: string, runs: EngineRun[], versions: string[][]): Change[] {
  const outcomes = runs.map((r) => r.scenarios.find((s) => s.scenario === scenario));
  return [...behaviourChanges(scenario, runs, outcomes, versions), ...timingChanges(scenario, runs, outcomes)];
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
