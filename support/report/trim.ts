// A message stream cut down to what the reports read (for the recorded runs under
// test/fixtures/matrix/): the plan, the test cases with their steps, results and
// timestamps, and the log and observation attachments; no sources, no diagnostics.
import { OBSERVATION_MEDIA_TYPE } from "../run/observation.js";

const KEPT = [
  "testRunStarted",
  "testRunFinished",
  "stepDefinition",
  "hook",
  "pickle",
  "testCase",
  "testCaseStarted",
  "testStepStarted",
  "testStepFinished",
  "testCaseFinished",
] as const;

export function trimmedStream(ndjson: string): string {
  return ndjson
    .split("\n")
    .filter((line) => {
      if (!line.trim()) return false;
      const envelope = JSON.parse(line) as Record<string, { mediaType?: string } | undefined>;
      const attachment = envelope.attachment;
      if (attachment)
        return (
          attachment.mediaType === OBSERVATION_MEDIA_TYPE || !!attachment.mediaType?.startsWith("text/x.cucumber.log")
        );
      return KEPT.some((kind) => kind in envelope);
    })
    .join("\n")
    .concat("\n");
}
