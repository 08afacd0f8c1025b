// Turns cucumber message streams (one per engine) into a scenario x engine matrix.

export type Status = "passed" | "failed" | "skipped" | "undefined" | "missing";

export interface ScenarioOutcome {
  /** "features/tutorial/03-overlay-network.feature: its inspect output matches the tutorial's" */
  scenario: string;
  status: Status;
  /** Text the steps logged (cluster engines, observed values), in order. */
  observations: string[];
}

export interface EngineRun {
  engine: string;
  seconds: number;
  exitCode: number;
  scenarios: ScenarioOutcome[];
}

export interface Matrix {
  engines: { engine: string; seconds: number; exitCode: number; reportedVersions: string[] }[];
  rows: { scenario: string; status: Record<string, Status> }[];
  changed: { scenario: string; why: string }[];
}

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
  pickle?: { id: string; uri: string; name: string };
  testCase?: { id: string; pickleId: string };
  testCaseStarted?: { id: string; testCaseId: string };
  testStepFinished?: { testCaseStartedId: string; testStepResult: { status: string } };
  attachment?: { testCaseStartedId?: string; body: string; mediaType: string };
}

export function scenarioOutcomes(ndjson: string): ScenarioOutcome[] {
  const pickles = new Map<string, string>();
  const caseToPickle = new Map<string, string>();
  const startedToCase = new Map<string, string>();
  const worst = new Map<string, string>();
  const logs = new Map<string, string[]>();
  for (const line of ndjson.split("\n").filter(Boolean)) {
    const e = JSON.parse(line) as Envelope;
    if (e.pickle) pickles.set(e.pickle.id, `${e.pickle.uri}: ${e.pickle.name}`);
    if (e.testCase) caseToPickle.set(e.testCase.id, e.testCase.pickleId);
    if (e.testCaseStarted) startedToCase.set(e.testCaseStarted.id, e.testCaseStarted.testCaseId);
    if (e.testStepFinished) {
      const { testCaseStartedId: id, testStepResult } = e.testStepFinished;
      const previous = worst.get(id) ?? "PASSED";
      if ((RANK[testStepResult.status] ?? 4) > (RANK[previous] ?? 0)) worst.set(id, testStepResult.status);
      else worst.set(id, previous);
    }
    if (e.attachment?.testCaseStartedId && e.attachment.mediaType.startsWith("text/x.cucumber.log")) {
      logs.set(e.attachment.testCaseStartedId, [
        ...(logs.get(e.attachment.testCaseStartedId) ?? []),
        e.attachment.body,
      ]);
    }
  }
  return [...startedToCase].map(([started, testCase]) => ({
    scenario: pickles.get(caseToPickle.get(testCase) ?? "") ?? testCase,
    status: toStatus(worst.get(started) ?? "PASSED"),
    observations: logs.get(started) ?? [],
  }));
}

function toStatus(status: string): Status {
  if (status === "PASSED") return "passed";
  if (status === "SKIPPED") return "skipped";
  if (status === "UNDEFINED" || status === "AMBIGUOUS" || status === "PENDING") return "undefined";
  return "failed";
}

/**
 * Observations without what differs on every run anyway: ids, tokens, times, progress
 * lines, blank lines and trailing spaces.
 */
export function comparable(observation: string): string {
  return observation
    .replace(/SWMTKN-1-[0-9a-z-]+/g, "SWMTKN-1-…")
    .replace(/\b[0-9a-z]{25}\b/g, "<id>")
    .replace(/\b[0-9a-f]{12,64}\b/g, "<id>")
    .replace(/\b(?=[0-9a-z]*\d)[0-9a-z]{12}\b/g, "<id>")
    .replace(/\d{4}-\d\d-\d\dT[\d:.]+Z/g, "<time>")
    .replace(/engine [^;\n]+/g, "engine <version>")
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "" && !/^(overall progress|verify: Waiting|\d+\/\d+:)/.test(line))
    .join("\n");
}

export function buildMatrix(runs: EngineRun[]): Matrix {
  const scenarios = [...new Set(runs.flatMap((r) => r.scenarios.map((s) => s.scenario)))].sort();
  const find = (run: EngineRun, scenario: string) => run.scenarios.find((s) => s.scenario === scenario);
  const rows = scenarios.map((scenario) => ({
    scenario,
    status: Object.fromEntries(runs.map((r) => [r.engine, find(r, scenario)?.status ?? "missing"])) as Record<
      string,
      Status
    >,
  }));
  const changed: Matrix["changed"] = [];
  for (const row of rows) {
    const statuses = new Set(Object.values(row.status));
    if (statuses.size > 1)
      changed.push({
        scenario: row.scenario,
        why: `status: ${runs.map((r) => `${r.engine} ${row.status[r.engine]}`).join(", ")}`,
      });
    const observed = runs.map((r) => (find(r, row.scenario)?.observations ?? []).map(comparable).join("\n"));
    const differing = runs.filter((_, i) => observed[i] !== observed[0]).map((r) => r.engine);
    if (statuses.size === 1 && differing.length > 0)
      changed.push({
        scenario: row.scenario,
        why: `observed values differ on ${differing.join(", ")} (from ${runs[0].engine})`,
      });
  }
  const versions = (run: EngineRun) => [
    ...new Set(
      run.scenarios.flatMap((s) =>
        s.observations.flatMap((o) => [...o.matchAll(/engine ([^;\n]+)/g)].map((m) => m[1])),
      ),
    ),
  ];
  return {
    engines: runs.map((r) => ({
      engine: r.engine,
      seconds: Math.round(r.seconds),
      exitCode: r.exitCode,
      reportedVersions: versions(r),
    })),
    rows,
    changed,
  };
}

export function renderMatrixMarkdown(matrix: Matrix): string {
  const names = matrix.engines.map((e) => e.engine);
  const mark: Record<Status, string> = {
    passed: "passed",
    failed: "**FAILED**",
    skipped: "skipped",
    undefined: "undefined",
    missing: "—",
  };
  return [
    "# Engine matrix",
    "",
    "| engine | versions the nodes reported | time | exit |",
    "|---|---|---|---|",
    ...matrix.engines.map((e) => `| ${e.engine} | ${e.reportedVersions.join(", ")} | ${e.seconds}s | ${e.exitCode} |`),
    "",
    `| scenario | ${names.join(" | ")} |`,
    `|---|${names.map(() => "---").join("|")}|`,
    ...matrix.rows.map((r) => `| ${r.scenario} | ${names.map((n) => mark[r.status[n]]).join(" | ")} |`),
    "",
    "## Changed between versions",
    "",
    ...(matrix.changed.length === 0
      ? ["Nothing: every scenario has the same status and observed values on every engine."]
      : matrix.changed.map((c) => `- ${c.scenario}: ${c.why}`)),
    "",
  ].join("\n");
}
