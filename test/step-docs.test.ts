import { readFile } from "node:fs/promises";
import { describe, it } from "node:test";
import { expect } from "expect";
import { STEPS_DOC, documentedSteps, renderStepsDoc, undocumented } from "../support/report/step-docs.js";

describe("docs/steps.md", () => {
  it("is what `npm run docs` generates from the step definitions", async () => {
    expect(await readFile(STEPS_DOC, "utf8")).toEqual(await renderStepsDoc());
  });

  it("has an example from the features for every step", async () => {
    const { steps } = await documentedSteps();
    expect(steps.length).toBeGreaterThan(50);
    expect(steps.filter((s) => !s.example).map((s) => `${s.file}:${s.line} ${s.pattern}`)).toEqual([]);
  });

  it("gives every step file a topic and every parameter type a note", async () => {
    expect(await undocumented()).toEqual({ files: [], parameterTypes: [] });
  });
});
