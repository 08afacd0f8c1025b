import { describe, it } from "node:test";
import { expect } from "expect";
import { buildMatrix, comparable, renderMatrixMarkdown, scenarioOutcomes } from "../scripts/matrix-report.js";

const stream = (stepStatus: string, log: string) =>
  [
    { pickle: { id: "p1", uri: "features/a.feature", name: "one" } },
    { testCase: { id: "c1", pickleId: "p1" } },
    { testCaseStarted: { id: "s1", testCaseId: "c1" } },
    { attachment: { testCaseStartedId: "s1", mediaType: "text/x.cucumber.log+plain", body: log } },
    { testStepFinished: { testCaseStartedId: "s1", testStepResult: { status: "PASSED" } } },
    { testStepFinished: { testCaseStartedId: "s1", testStepResult: { status: stepStatus } } },
  ]
    .map((e) => JSON.stringify(e))
    .join("\n");

describe("engine matrix", () => {
  it("takes a scenario's worst step status and its logs", () => {
    expect(scenarioOutcomes(stream("FAILED", "cluster: manager1 engine 26.1.5"))).toEqual([
      { scenario: "features/a.feature: one", status: "failed", observations: ["cluster: manager1 engine 26.1.5"] },
    ]);
  });

  it("lists status changes and observed-value changes between engines", () => {
    const run = (engine: string, status: string, log: string) => ({
      engine,
      seconds: 1,
      exitCode: 0,
      scenarios: scenarioOutcomes(stream(status, log)),
    });
    const matrix = buildMatrix([
      run("20.10", "PASSED", 'observed {"Containers":null}'),
      run("26.1", "PASSED", 'observed {"Containers":{}}'),
      run("28.5", "FAILED", 'observed {"Containers":null}'),
    ]);
    expect(matrix.rows).toEqual([
      { scenario: "features/a.feature: one", status: { "20.10": "passed", "26.1": "passed", "28.5": "failed" } },
    ]);
    expect(matrix.changed.map((c) => c.why)).toEqual(["status: 20.10 passed, 26.1 passed, 28.5 failed"]);
    const same = buildMatrix([run("20.10", "PASSED", "observed a"), run("26.1", "PASSED", "observed b")]);
    expect(same.changed.map((c) => c.why)).toEqual(["observed values differ on 26.1 (from 20.10)"]);
    expect(renderMatrixMarkdown(same)).toContain("| features/a.feature: one | passed | passed |");
  });

  it("ignores ids, tokens, times, progress and spacing when comparing", () => {
    expect(comparable("node kp4pi1bxnczg0ca8xnu4e8psq token SWMTKN-1-abc-def engine 20.10.24")).toBe(
      "node <id> token SWMTKN-1-… engine <version>",
    );
    expect(
      comparable(
        '7fu2flvy1no1   ingress   overlay   swarm  \n\noverall progress: 2 out of 3 tasks\n  "Created": "2026-11-26T16:43:00.435648877Z"',
      ),
    ).toBe('<id>   ingress   overlay   swarm\n"Created": "<time>"');
    expect(comparable("my-network overlay")).toBe("my-network overlay");
  });
});
