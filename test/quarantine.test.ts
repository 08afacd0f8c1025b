// Quarantined scenarios are left out unless named, and the run is told which.
import { describe, it } from "node:test";
import { expect } from "expect";
import { leaveOutQuarantined } from "../support/suite/quarantine.js";

describe("quarantine", () => {
  it("leaves a quarantined scenario out of a selection that has it, and names it", async () => {
    const { args, leftOut } = await leaveOutQuarantined(["features/kernels"]);
    expect(args).toEqual(["features/kernels", "--tags", "not @quarantined"]);
    expect(leftOut).toEqual([
      expect.stringMatching(/^features\/kernels\/kernels\.feature:\d+ {2}a rolling kernel upgrade/),
    ]);
  });

  it("runs it when selected by its tag or its line, and changes nothing where there is none", async () => {
    const [{ leftOut }] = [await leaveOutQuarantined(["features/kernels"])];
    const line = leftOut[0].split(" ")[0];
    for (const args of [["--tags", "@quarantined"], [line], ["features/smoke"]])
      expect(await leaveOutQuarantined(args)).toEqual({ args, leftOut: [] });
  });
});
