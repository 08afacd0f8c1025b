// A cucumber message stream read as scenario outcomes: each scenario's status, time,
// first failure, what its steps logged for people, and what they observed for the
// tools (support/run/observation.ts). The summary, the profile and the engine matrix
// read runs through this, with @cucumber/query doing the joins.
import {
  parseEnvelope,
  TestStepResultStatus,
  TimeConversion,
  type Duration,
  type TestCaseStarted,
} from "@cucumber/messages";
import { Query } from "@cucumber/query";
import {
  OBSERVATION_MEDIA_TYPE,
  parseObservation,
  type Observation,
  type ObservationKind,
  type ObservationOf,
} from "../run/observation.js";

export type Status = "passed" | "failed" | "skipped" | "undefined" | "missing";

/** What one step logged for people. */
export interface Logged {
  /** The step's text ("When I run `docker network rm my-network` on manager1"), or "(hook)". */
  step: string;
  text: string;
}

/** What one step observed for the tools. */
export interface Observed<O extends Observation = Observation> {
  step: string;
  observation: O;
}

export interface ScenarioOutcome {
  /** "features/tutorial/03-overlay-network.feature: its inspect output matches the tutorial's" */
  scenario: string;
  status: Status;
  /** Log lines in the order the steps wrote them. */
  logged: Logged[];
  /** Typed observations in the order the steps attached them. */
  observed: Observed[];
  seconds: number;
  /** The first step that did not pass, and what it said (for a failed scenario). */
  failure?: { step: string; message: string };
  /** Attempts it took (more than 1 only under `--retry`). */
  attempts: number;
  /** Why it was skipped, as its hook observed (for a skipped scenario). */
  skipReason?: string;
}

export interface EngineRun {
  engine: string;
  seconds: number;
  exitCode: number;
  scenarios: ScenarioOutcome[];
  /** Where that engine's cucumber HTML report is, relative to the matrix page. */
  htmlReport?: string;
}

/** The outcome's observations of one kind, in order. */
export function observedOf<K extends ObservationKind>(
  outcome: ScenarioOutcome | undefined,
  kind: K,
): Observed<ObservationOf<K>>[] {
  return (outcome?.observed ?? []).filter((o): o is Observed<ObservationOf<K>> => o.observation.kind === kind);
}

function toStatus(status: TestStepResultStatus | undefined): Status {
  switch (status) {
    case undefined:
    case TestStepResultStatus.PASSED:
      return "passed";
    case TestStepResultStatus.SKIPPED:
      return "skipped";
    case TestStepResultStatus.UNDEFINED:
    case TestStepResultStatus.AMBIGUOUS:
    case TestStepResultStatus.PENDING:
      return "undefined";
    default:
      return "failed";
  }
}

const LOG_MEDIA_TYPE = "text/x.cucumber.log+plain";
/** A cucumber duration in seconds; none is 0. */
export const secondsOf = (d: Duration | undefined) => (d ? TimeConversion.durationToMilliseconds(d) / 1000 : 0);

/** A message stream (NDJSON) in a Query. */
export function queryOf(ndjson: string): Query {
  const query = new Query();
  for (const line of ndjson.split("\n")) if (line.trim()) query.update(parseEnvelope(line));
  return query;
}

/** Scenarios tagged `tag` in a message stream that did not run in it ("uri: name"). */
export function notRunWithTag(ndjson: string, tag: string): string[] {
  const query = queryOf(ndjson);
  const ran = new Set(query.findAllTestCaseStarted().flatMap((started) => query.findPickleBy(started)?.id ?? []));
  return query
    .findAllPickles()
    .filter((p) => p.tags.some((t) => t.name === tag) && !ran.has(p.id))
    .map((p) => `${p.uri}: ${p.name}`);
}

/** The scenarios of a message stream; a retried scenario counts once, as its last attempt. */
export function scenarioOutcomes(ndjson: string): ScenarioOutcome[] {
  const query = queryOf(ndjson);
  // Query leaves out attempts that will be retried.
  const lastAttempts = query
    .findAllTestCaseFinished()
    .map((f) => query.findTestCaseStartedBy(f))
    .filter((s): s is TestCaseStarted => s !== undefined);
  // A scenario still running when the stream ended (an interrupted run) counts as it stands.
  const unfinished = query.findAllTestCaseStarted().filter((s) => query.findTestCaseFinishedBy(s) === undefined);
  return [...lastAttempts, ...unfinished].map((started) => outcomeOf(query, started));
}

function outcomeOf(query: Query, started: TestCaseStarted): ScenarioOutcome {
  const pickle = query.findPickleBy(started);
  const logged: Logged[] = [];
  const observed: Observed[] = [];
  let failure: ScenarioOutcome["failure"];
  for (const [finished, testStep] of query.findTestStepFinishedAndTestStepBy(started)) {
    const pickleStep = testStep.pickleStepId ? query.findPickleStepBy(testStep) : undefined;
    const step = pickleStep?.text ?? "(hook)";
    for (const a of query.findAttachmentsBy(finished)) {
      if (a.mediaType === OBSERVATION_MEDIA_TYPE) observed.push({ step, observation: parseObservation(a.body) });
      else if (a.mediaType.startsWith(LOG_MEDIA_TYPE)) logged.push({ step, text: a.body });
    }
    const { status, message } = finished.testStepResult;
    if (!failure && status !== TestStepResultStatus.PASSED && status !== TestStepResultStatus.SKIPPED)
      failure = { step, message: message ?? status };
  }
  const result = query.findMostSevereTestStepResultBy(started);
  const skip = observed.find((o) => o.observation.kind === "skip")?.observation;
  return {
    scenario: pickle ? `${pickle.uri}: ${pickle.name}` : started.testCaseId,
    status: toStatus(result?.status),
    logged,
    observed,
    seconds: secondsOf(query.findTestCaseDurationBy(started)),
    attempts: started.attempt + 1,
    ...(failure && { failure }),
    ...(skip?.kind === "skip" && { skipReason: skip.reason }),
  };
}
