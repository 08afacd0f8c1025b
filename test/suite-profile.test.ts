import { describe, it } from "node:test";
import { expect } from "expect";
import { profileOf, renderProfile } from "../scripts/suite-profile.js";

const at = (seconds: number) => ({ seconds, nanos: 0 });
const stream = [
  { testRunStarted: { timestamp: at(1000) } },
  {
    stepDefinition: {
      id: "d1",
      pattern: { source: "a swarm with {int} manager(s)" },
      sourceReference: { uri: "steps/cluster.steps.ts" },
    },
  },
  { hook: { id: "h1", sourceReference: { uri: "steps/hooks.ts", location: { line: 67 } } } },
  {
    testCase: {
      id: "c1",
      testSteps: [
        { id: "t1", stepDefinitionIds: ["d1"] },
        { id: "t2", hookId: "h1" },
      ],
    },
  },
  { testCaseStarted: { id: "s1", testCaseId: "c1" } },
  { attachment: { body: "cluster hand-over: reset in 3.5s", mediaType: "text/x.cucumber.log+plain" } },
  { testStepFinished: { testCaseStartedId: "s1", testStepId: "t1", testStepResult: { duration: at(4) } } },
  { testStepFinished: { testCaseStartedId: "s1", testStepId: "t2", testStepResult: { duration: at(1) } } },
  { testRunFinished: { timestamp: at(1090) } },
]
  .map((e) => JSON.stringify(e))
  .join("\n");

describe("where a suite run's time went", () => {
  it("sums step time by file and by definition, hooks by place, and hand-overs by kind", () => {
    const p = profileOf(stream);
    expect({
      scenarios: p.scenarios,
      wall: p.wallSeconds,
      steps: p.stepSeconds,
      byFile: Object.fromEntries(p.byFile),
      handOvers: Object.fromEntries(p.handOvers),
    }).toEqual({
      scenarios: 1,
      wall: 90,
      steps: 5,
      byFile: { "cluster.steps.ts": 4, "hook steps/hooks.ts:67": 1 },
      handOvers: { reset: { seconds: 3.5, count: 1 } },
    });
    expect(renderProfile("r", p)).toContain("80%   0m04s  1 × 4.0 s  a swarm with {int} manager(s)");
  });
});
