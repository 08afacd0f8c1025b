// Quarantined scenarios are left out unless named, and the run is told which.
import { describe, it } from "node:test";
import { expect } from "expect";
import { leaveOutQuarantined } from "../support/suite/quarantine.js";

// A feature with one quarantined scenario and one not (the suite may have none).
const FIXTURE = "test/fixtures/quarantine";
const QUARANTINED_LINE = `${FIXTURE}/quarantine.feature:8`;

describe("quarantine", () => {
  it("leaves a quarantined scenario out of a selection that has it, and names it", async () => {
    const { args, leftOut } = await leaveOutQuarantined([FIXTURE]);
    expect(args).toEqual([FIXTURE, "--tags", "not @quarantined"]);
    expect(leftOut).toEqual([`${QUARANTINED_LINE}  a quarantined scenario`]);
  });

  it("runs it when selected by its tag or its line, and changes nothing where there is none", async () => {
    for (const args of [[FIXTURE, "--tags", "@quarantined"], [QUARANTINED_LINE], [`${FIXTURE}/quarantine.feature:5`]])
      expect(await leaveOutQuarantined(args)).toEqual({ args, leftOut: [] });
  });
});
