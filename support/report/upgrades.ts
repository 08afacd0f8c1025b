// The matrix's upgrade table. Upgrade scenarios name their engines themselves, so
// every engine run runs them alike: the table lists each one with the versions it
// went from and to (as the daemons reported them), its status in every run, per
// node how long the daemon was down and until the swarm reported it Ready, and what
// it observed across the upgrade (what changed in networks, VIPs, task addresses).
import { observedOf, type EngineRun, type Status } from "./outcomes.js";

export interface UpgradeRow {
  scenario: string;
  from: string[];
  to: string[];
  /** Status by engine run. */
  status: Record<string, Status>;
  /** Per upgraded node: "manager1: down 3.1 s, Ready 0.4 s after". */
  nodes: string[];
  /** What the scenario observed across the upgrade, as its steps logged it. */
  observed: string[];
}

/** Scenarios of features/upgrade/: they give each node its engine themselves. */
export function isUpgradeScenario(scenario: string): boolean {
  return scenario.startsWith("features/upgrade/");
}

export function upgradeRows(runs: EngineRun[]): UpgradeRow[] {
  const scenarios = [...new Set(runs.flatMap((r) => r.scenarios.map((s) => s.scenario)).filter(isUpgradeScenario))];
  scenarios.sort();
  return scenarios.flatMap((scenario): UpgradeRow[] => {
    const outcomes = runs.map((r) => r.scenarios.find((s) => s.scenario === scenario));
    // The first run that got through the scenario says what it saw; else the first that has it.
    const shown = outcomes.find((o) => o?.status === "passed") ?? outcomes.find((o) => o !== undefined);
    const upgrades = observedOf(shown, "upgrade").map((o) => o.observation);
    if (upgrades.length === 0) return [];
    return [
      {
        scenario,
        from: [...new Set(upgrades.map((u) => u.from))],
        to: [...new Set(upgrades.map((u) => u.to))],
        status: Object.fromEntries(runs.map((r, i) => [r.engine, outcomes[i]?.status ?? "missing"])),
        nodes: upgrades.map(
          (u) => `${u.node}: down ${u.downSeconds.toFixed(1)} s, Ready ${u.readySeconds.toFixed(1)} s after`,
        ),
        observed: observedOf(shown, "comparison").map(({ observation: c }) =>
          c.changes.length === 0 ? `${c.what}: unchanged` : `${c.what}: changed; ${c.changes.join("; ")}`,
        ),
      },
    ];
  });
}

export function renderUpgradeMarkdown(rows: UpgradeRow[], engines: string[]): string[] {
  if (rows.length === 0) return ["No upgrade scenario ran."];
  return [
    `| scenario | from | to | ${engines.map((e) => `run ${e}`).join(" | ")} | nodes | observed across the upgrade |`,
    `|---|---|---|${engines.map(() => "---").join("|")}|---|---|`,
    ...rows.map(
      (r) =>
        `| ${r.scenario} | ${r.from.join(", ")} | ${r.to.join(", ")} | ${engines.map((e) => r.status[e]).join(" | ")} | ` +
        `${r.nodes.join("<br>")} | ${r.observed.join("<br>") || "—"} |`,
    ),
  ];
}
