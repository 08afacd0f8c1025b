// Cucumber message streams for the report tests, shaped as cucumber-js writes them:
// pickles, test cases, steps started and finished with their attachments, attempts.
import type { Observation } from "../../support/run/observation.js";
import { OBSERVATION_MEDIA_TYPE } from "../../support/run/observation.js";

export interface StepSpec {
  /** The Gherkin step's text; none for a hook. */
  text?: string;
  status?: "PASSED" | "FAILED" | "SKIPPED" | "UNDEFINED" | "PENDING";
  message?: string;
  logs?: string[];
  observations?: Observation[];
  seconds?: number;
  /** The step definition's pattern and file (a hook: its file and line). */
  definition?: { pattern: string; uri: string };
  hook?: { uri: string; line: number };
}

export interface ScenarioSpec {
  name?: string;
  uri?: string;
  steps: StepSpec[];
  /** Start and end, in seconds since the epoch. */
  start?: number;
  end?: number;
  /** Attempts of a retried scenario: each but the last will be retried. */
  attempts?: StepSpec[][];
}

const at = (seconds: number) => ({ seconds: Math.floor(seconds), nanos: Math.round((seconds % 1) * 1e9) });

export function messageStream(scenarios: ScenarioSpec[], run = { start: 1000, end: 1090 }): string {
  // As cucumber-js writes them: the plan (definitions, pickles, test cases) first, then the run.
  const plan: object[] = [];
  const out: object[] = [];
  scenarios.forEach((spec, n) => {
    const attempts = spec.attempts ?? [spec.steps];
    const steps = attempts[attempts.length - 1];
    const pickleId = `p${n}`;
    const pickleSteps = steps.map((s, i) =>
      s.text ? { id: `${pickleId}s${i}`, text: s.text, astNodeIds: [] } : undefined,
    );
    steps.forEach((s, i) => {
      if (s.definition)
        plan.push({
          stepDefinition: {
            id: `${pickleId}d${i}`,
            pattern: { source: s.definition.pattern, type: "CUCUMBER_EXPRESSION" },
            sourceReference: { uri: s.definition.uri },
          },
        });
      if (s.hook)
        plan.push({
          hook: { id: `${pickleId}h${i}`, sourceReference: { uri: s.hook.uri, location: { line: s.hook.line } } },
        });
    });
    plan.push({
      pickle: {
        id: pickleId,
        uri: spec.uri ?? "features/a.feature",
        name: spec.name ?? "one",
        language: "en",
        steps: pickleSteps.filter(Boolean),
        tags: [],
        astNodeIds: [`${pickleId}ast`],
      },
    });
    const caseId = `${pickleId}c`;
    plan.push({
      testCase: {
        id: caseId,
        pickleId,
        testSteps: steps.map((s, i) => ({
          id: `${caseId}t${i}`,
          ...(s.text ? { pickleStepId: `${pickleId}s${i}` } : { hookId: `${pickleId}h${i}` }),
          ...(s.definition ? { stepDefinitionIds: [`${pickleId}d${i}`] } : {}),
        })),
      },
    });
    attempts.forEach((attemptSteps, attempt) => {
      const startedId = `${caseId}a${attempt}`;
      const start = (spec.start ?? 100) + attempt * 1000;
      out.push({ testCaseStarted: { id: startedId, testCaseId: caseId, attempt, timestamp: at(start) } });
      attemptSteps.forEach((s, i) => {
        const testStepId = `${caseId}t${i}`;
        out.push({ testStepStarted: { testCaseStartedId: startedId, testStepId, timestamp: at(start) } });
        const attach = (body: string, mediaType: string) =>
          out.push({
            attachment: { testCaseStartedId: startedId, testStepId, body, mediaType, contentEncoding: "IDENTITY" },
          });
        for (const o of s.observations ?? []) attach(JSON.stringify(o), OBSERVATION_MEDIA_TYPE);
        for (const log of s.logs ?? []) attach(log, "text/x.cucumber.log+plain");
        out.push({
          testStepFinished: {
            testCaseStartedId: startedId,
            testStepId,
            testStepResult: {
              status: s.status ?? "PASSED",
              duration: at(s.seconds ?? 0),
              ...(s.message ? { message: s.message } : {}),
            },
            timestamp: at(start),
          },
        });
      });
      const last = attempt === attempts.length - 1;
      out.push({
        testCaseFinished: {
          testCaseStartedId: startedId,
          timestamp: at(last ? (spec.end ?? 112.5) + attempt * 1000 : start + 1),
          willBeRetried: !last,
        },
      });
    });
  });
  const all = [...plan, { testRunStarted: { timestamp: at(run.start) } }, ...out];
  all.push({ testRunFinished: { timestamp: at(run.end), success: true } });
  return all.map((e) => JSON.stringify(e)).join("\n");
}
