// The GitHub workflow runs only what exists, and its engine jobs are the engine lines.
import { existsSync, readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { expect } from "expect";
import { loadEngineTable } from "../support/run/engines.js";
import { WORKFLOW, missingCommands, parseWorkflow } from "../support/report/workflow-check.js";

const workflow = parseWorkflow(readFileSync(WORKFLOW, "utf8"));
const { scripts } = JSON.parse(readFileSync("package.json", "utf8")) as { scripts: Record<string, string> };

describe("GitHub workflow", () => {
  it("calls only npm scripts and repository scripts that exist", () => {
    expect(missingCommands(workflow, scripts, existsSync)).toEqual([]);
  });

  it("would say so if a job called one that does not", () => {
    const broken = parseWorkflow(
      "jobs:\n  j:\n    steps:\n      - run: npm run report:gone && bash ci/gone.sh && npm ci && npm test\n",
    );
    expect(missingCommands(broken, scripts, existsSync)).toEqual([
      'j: npm script "report:gone" does not exist',
      "j: ci/gone.sh does not exist",
    ]);
  });

  it("runs one engine job per engine line of fixtures/engines.json", () => {
    const engines = workflow.jobs?.engine?.strategy?.matrix?.engine;
    expect(engines).toEqual(loadEngineTable().engines.map((e) => e.name));
  });
});
