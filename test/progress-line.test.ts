import { describe, it } from "node:test";
import { parseEnvelope } from "@cucumber/messages";
import { expect } from "expect";
import { ProgressLines } from "../support/report/progress-line.js";
import { messageStream } from "./support/message-stream.js";

function linesOf(ndjson: string): string[] {
  const progress = new ProgressLines();
  return ndjson.split("\n").flatMap((l) => progress.update(parseEnvelope(l)) ?? []);
}

describe("a line per finished scenario", () => {
  it("says each scenario's status and time as it finishes, counting scenarios, not attempts", () => {
    const lines = linesOf(
      messageStream([
        { name: "fine", steps: [{ text: "a" }], start: 100, end: 112.5 },
        { name: "broken", steps: [{ text: "a", status: "FAILED", message: "no" }], start: 100, end: 101 },
        {
          name: "flaky",
          steps: [],
          attempts: [[{ text: "a", status: "FAILED" }], [{ text: "a" }]],
          start: 100,
          end: 103,
        },
      ]),
    );
    expect(lines).toEqual([
      "[1/3] passed      12.5 s  features/a.feature  fine",
      "[2/3] FAILED       1.0 s  features/a.feature  broken",
      "[2/3] failed, retrying (attempt 1)    1.0 s  features/a.feature  flaky",
      "[3/3] passed       3.0 s  features/a.feature  flaky",
      "3 scenarios (2 passed, 1 FAILED) in 90.0 s",
    ]);
  });
});
