// One line per finished scenario, for a console that is read while the run goes on
// (CI logs, a pass whose output is prefixed): its status, its time, where it is and
// its name; an attempt that will be retried says so.
import { TestStepResultStatus, type Envelope } from "@cucumber/messages";
import { Query } from "@cucumber/query";
import { secondsOf } from "./outcomes.js";

const LABEL: Partial<Record<TestStepResultStatus, string>> = {
  [TestStepResultStatus.PASSED]: "passed",
  [TestStepResultStatus.SKIPPED]: "skipped",
  [TestStepResultStatus.PENDING]: "pending",
  [TestStepResultStatus.UNDEFINED]: "undefined",
  [TestStepResultStatus.AMBIGUOUS]: "ambiguous",
};

/** Feeds messages in; returns a line for each scenario that finished. */
export class ProgressLines {
  private readonly query = new Query();
  private finished = 0;
  /** Test cases planned: the selected scenarios (the stream has a pickle for every scenario of the files). */
  private planned = 0;

  private readonly counts = new Map<string, number>();

  /** The line for `envelope`, if it finished a scenario; the counts, if it finished the run. */
  update(envelope: Envelope): string | undefined {
    this.query.update(envelope);
    if (envelope.testCase) this.planned += 1;
    if (envelope.testRunFinished) {
      const seconds = secondsOf(this.query.findTestRunDuration());
      const counts = [...this.counts].map(([label, n]) => `${n} ${label}`).join(", ");
      return `${this.finished} scenarios (${counts || "none run"}) in ${seconds.toFixed(1)} s`;
    }
    const done = envelope.testCaseFinished;
    if (!done) return undefined;
    const started = this.query.findTestCaseStartedBy(done);
    const pickle = started && this.query.findPickleBy(started);
    if (!started || !pickle) return undefined;
    const status = this.query.findMostSevereTestStepResultBy(started)?.status ?? TestStepResultStatus.PASSED;
    const seconds = secondsOf(this.query.findTestCaseDurationBy(started));
    const line = this.query.findLocationOf(pickle)?.line;
    const where = `${pickle.uri}${line ? `:${line}` : ""}`;
    const label = done.willBeRetried
      ? `failed, retrying (attempt ${started.attempt + 1})`
      : (LABEL[status] ?? "FAILED");
    if (!done.willBeRetried) {
      this.finished += 1;
      this.counts.set(label, (this.counts.get(label) ?? 0) + 1);
    }
    return `[${this.finished}/${this.planned}] ${label.padEnd(9)} ${seconds.toFixed(1).padStart(6)} s  ${where}  ${pickle.name}`;
  }
}
