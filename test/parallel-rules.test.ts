import { describe, it } from "node:test";
import { expect } from "expect";
import { canRunBeside } from "../support/run/parallel-rules.js";

describe("which scenarios run beside which under --parallel", () => {
  it("lets ordinary scenarios run side by side", () => {
    expect(canRunBeside(["@catalogue"], [["@tutorial"]])).toBe(true);
  });

  it("starts a fault, upgrade or @alone scenario only when nothing else runs", () => {
    for (const tag of ["@faults", "@upgrade", "@alone"]) {
      expect(canRunBeside([tag], [])).toBe(true);
      expect(canRunBeside([tag, "@fresh-cluster"], [["@tutorial"]])).toBe(false);
    }
  });

  it("starts nothing beside a scenario that runs alone", () => {
    expect(canRunBeside(["@tutorial"], [["@catalogue"], ["@upgrade", "@fresh-cluster"]])).toBe(false);
  });
});
