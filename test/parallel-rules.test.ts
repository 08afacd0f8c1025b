import { describe, it } from "node:test";
import { expect } from "expect";
import { canRunBeside } from "../support/run/parallel-rules.js";

describe("which scenarios run beside which under --parallel", () => {
  it("lets ordinary, fault and upgrade scenarios run side by side", () => {
    expect(canRunBeside(["@catalogue"], [["@tutorial"]])).toBe(true);
    expect(canRunBeside(["@faults"], [["@upgrade", "@fresh-cluster"]])).toBe(true);
  });

  it("starts an @alone scenario only when nothing else runs", () => {
    expect(canRunBeside(["@alone"], [])).toBe(true);
    expect(canRunBeside(["@alone", "@fresh-cluster"], [["@tutorial"]])).toBe(false);
  });

  it("starts nothing beside a scenario that runs alone", () => {
    expect(canRunBeside(["@tutorial"], [["@catalogue"], ["@alone", "@fresh-cluster"]])).toBe(false);
  });
});
