// The closing lines of a run, for a CI log that is read from the end: each failed
// scenario's first failing step and the head of its error (cucumber prints the error
// above pages of attached diagnostics), why scenarios were skipped (a green line must
// not hide what never ran), which passed only on a retry (flaky), where Docker held a
// node upgraded in place Down until its daemon was restarted, and
// "scenarios: N passed, N failed, N skipped, N flaky". A scenario counts once,
// whatever its attempts.
import { observedOf, type ScenarioOutcome } from "./outcomes.js";

/** Lines of a failed step's error shown (the rest is in the reports). */
const MESSAGE_LINES = 12;

export function renderSummary(outcomes: ScenarioOutcome[], onUml: number): string {
  const lines: string[] = [];
  for (const o of outcomes) {
    if (!o.failure) continue;
    const message = o.failure.message.split("\n").slice(0, MESSAGE_LINES);
    lines.push(`FAILED ${o.scenario}`, `  at: ${o.failure.step}`, ...message.map((l) => `  | ${l}`));
  }
  const reasons = new Map<string, number>();
  for (const o of outcomes.filter((o) => o.status === "skipped")) {
    const reason = o.skipReason ?? "(no reason given)";
    reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
  }
  for (const [reason, n] of reasons) lines.push(`skipped ${n}: ${reason}`);
  const flaky = flakyOf(outcomes);
  for (const o of flaky) lines.push(`FLAKY ${o.scenario}: passed on attempt ${o.attempts}`);
  for (const o of outcomes)
    for (const { observation: u } of observedOf(o, "upgrade").filter((u) => u.observation.restartedWhileDown))
      lines.push(`HELD DOWN ${o.scenario}: Docker listed ${u.node} Down on ${u.to}; its daemon was restarted once`);
  const count = (status: string) => outcomes.filter((o) => o.status === status).length;
  const failed = outcomes.length - count("passed") - count("skipped");
  const uml = onUml > 0 ? ` (${onUml} of them on UML nodes)` : "";
  lines.push(
    `scenarios: ${count("passed")} passed, ${failed} failed, ${count("skipped")} skipped, ${flaky.length} flaky${uml}`,
  );
  return lines.join("\n");
}

/** Scenarios that passed only on a retry. */
export function flakyOf(outcomes: readonly ScenarioOutcome[]): ScenarioOutcome[] {
  return outcomes.filter((o) => o.status === "passed" && o.attempts > 1);
}
