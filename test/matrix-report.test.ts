import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { gunzipSync } from "node:zlib";
import { expect } from "expect";
import { renderMatrixHtml } from "../support/report/matrix-html.js";
import {
  buildMatrix,
  comparable,
  notableChanges,
  renderMatrixMarkdown,
  withoutWorkerSubnets,
} from "../support/report/matrix.js";
import { scenarioOutcomes, type EngineRun } from "../support/report/outcomes.js";
import { renderSummary } from "../support/report/summary.js";
import type { Observation } from "../support/run/observation.js";
import { messageStream, type StepSpec } from "./support/message-stream.js";

/** A message stream of one scenario whose steps logged `logs` (one per step), the last ending with `status`. */
function stream(status: StepSpec["status"], logs: string[], observations: Observation[][] = []) {
  const steps: StepSpec[] = logs.map((log, i) => ({
    text: `step ${i}`,
    logs: [log],
    observations: observations[i] ?? [],
    ...(i === logs.length - 1 && {
      status,
      ...(status === "FAILED" && { message: "Expected: 3\nReceived: 2" }),
    }),
  }));
  return messageStream([{ steps }]);
}

const run = (
  engine: string,
  status: StepSpec["status"],
  logs: string[],
  observations: Observation[][] = [],
): EngineRun => ({
  engine,
  seconds: 1,
  exitCode: 0,
  scenarios: scenarioOutcomes(stream(status, logs, observations)),
});

const timing = (seconds: number): Observation => ({ kind: "timing", what: 'after "worker2 stopped"', seconds });
const cluster = (engine: string, address = "192.168.33.10"): Observation => ({
  kind: "cluster",
  handOver: "fresh",
  seconds: 3,
  labSubnet: `${address.split(".").slice(0, 3).join(".")}.0/24`,
  dataSubnet: `${address.split(".").slice(0, 2).join(".")}.${Number(address.split(".")[2]) + 100}.0/24`,
  nodes: [{ name: "manager1", address, engine, kind: "container" }],
});

describe("engine matrix", () => {
  it("takes a scenario's worst step status, its logs by step, its duration and its first failing step", () => {
    expect(scenarioOutcomes(stream("FAILED", ["cluster: manager1 engine 26.1.5"], [[cluster("26.1.5")]]))).toEqual([
      {
        scenario: "features/a.feature: one",
        status: "failed",
        logged: [{ step: "step 0", text: "cluster: manager1 engine 26.1.5" }],
        observed: [{ step: "step 0", observation: cluster("26.1.5") }],
        seconds: 12.5,
        attempts: 1,
        failure: { step: "step 0", message: "Expected: 3\nReceived: 2" },
      },
    ]);
  });

  it("says which step's observation changed, engine by engine, as a line diff", () => {
    const error = (text: string) => `manager1$ docker network rm my-network\n(exit 1)\n${text}`;
    const matrix = buildMatrix([
      run("20.10", "PASSED", ["same", error("Error: network wfo3x6abcdef is in use by service j9lx4abcdefg")]),
      run("28.5", "PASSED", ["same", error("Error: network my-network is in use by service my-web")]),
    ]);
    expect(matrix.changes).toEqual([
      {
        scenario: "features/a.feature: one",
        kind: "behaviour",
        step: "step 1",
        values: {
          "20.10": "manager1$ docker network rm my-network\n(exit 1)\nError: network <id> is in use by service <id>",
          "28.5":
            "manager1$ docker network rm my-network\n(exit 1)\nError: network my-network is in use by service my-web",
        },
        diff: {
          "28.5": {
            removed: ["Error: network <id> is in use by service <id>"],
            added: ["Error: network my-network is in use by service my-web"],
          },
        },
      },
    ]);
    const markdown = renderMatrixMarkdown(matrix);
    expect(markdown).toContain("- behaviour, step `step 1`:");
    expect(markdown).toContain("    - `+ Error: network my-network is in use by service my-web`");
  });

  it("reports a status change once, without the observations it cut short", () => {
    const matrix = buildMatrix([run("20.10", "PASSED", ["a", "b"]), run("26.1", "FAILED", ["a"])]);
    expect(matrix.changes).toEqual([
      { scenario: "features/a.feature: one", kind: "status", values: { "20.10": "passed", "26.1": "failed" } },
    ]);
  });

  it("shows timings as figures and flags only what is twice and 20 s slower", () => {
    const down = (engine: string, s: number) =>
      run(engine, "PASSED", [`worker2 reported Down ${s} s after "worker2 stopped"`], [[timing(s)]]);
    const noise = buildMatrix([down("20.10", 11.7), down("28.5", 13.9)]);
    expect(noise.changes).toEqual([
      {
        scenario: "features/a.feature: one",
        kind: "timing",
        step: "step 0",
        figures: { "20.10": [11.7], "28.5": [13.9] },
        flagged: false,
      },
    ]);
    expect(notableChanges(noise)).toEqual([]);
    expect(notableChanges(buildMatrix([down("20.10", 11.7), down("28.5", 41.2)]))).toMatchObject([
      { kind: "timing", flagged: true },
    ]);
    expect(notableChanges(buildMatrix([down("20.10", 0.1), down("28.5", 6)]))).toEqual([]);
    // Two runs of one engine differ this much (docs/decisions/timing-threshold.md): not a regression.
    expect(notableChanges(buildMatrix([down("20.10", 44.5), down("28.5", 74)]))).toEqual([]);
  });

  it("flags a slow recovery only once it has used more than half of the step's deadline", () => {
    const runOf = (engine: string, seconds: number): EngineRun => ({
      engine,
      seconds: 1,
      exitCode: 0,
      scenarios: scenarioOutcomes(
        messageStream([
          {
            name: "heal",
            steps: [
              {
                text: "within 120 s, HTTP reachability is:",
                logs: [`back ${seconds} s after the lift`],
                observations: [timing(seconds)],
              },
            ],
          },
        ]),
      ),
    });
    expect(notableChanges(buildMatrix([runOf("20.10", 5.5), runOf("26.1", 44.9)]))).toEqual([]);
    expect(notableChanges(buildMatrix([runOf("20.10", 5.5), runOf("26.1", 95)]))).toMatchObject([
      { kind: "timing", flagged: true },
    ]);
  });

  it("counts a retried scenario once, as its last attempt", () => {
    const outcomes = scenarioOutcomes(
      messageStream([
        {
          steps: [],
          attempts: [[{ text: "step 0", status: "FAILED", message: "flaked" }], [{ text: "step 0", logs: ["ok"] }]],
        },
      ]),
    );
    expect(outcomes).toMatchObject([{ scenario: "features/a.feature: one", status: "passed", attempts: 2 }]);
    expect(renderSummary(outcomes, 0).split("\n")).toEqual([
      "FLAKY features/a.feature: one: passed on attempt 2",
      "scenarios: 1 passed, 0 failed, 0 skipped, 1 flaky",
    ]);
  });

  it("names in the summary an upgrade Docker held Down until its daemon was restarted", () => {
    const upgrade = (restartedWhileDown: boolean) => ({
      kind: "upgrade" as const,
      node: "worker1",
      from: "20.10.24+dfsg1",
      to: "28.5.2+dfsg4",
      downSeconds: 3,
      readySeconds: restartedWhileDown ? 50 : 1,
      restartedWhileDown,
    });
    const outcomes = scenarioOutcomes(
      messageStream([{ steps: [{ text: "step 0", observations: [upgrade(false), upgrade(true)] }] }]),
    );
    expect(renderSummary(outcomes, 0).split("\n")).toEqual([
      "HELD DOWN features/a.feature: one: Docker listed worker1 Down on 28.5.2+dfsg4; its daemon was restarted once",
      "scenarios: 1 passed, 0 failed, 0 skipped, 0 flaky",
    ]);
  });

  it("does not count an engine's own version string as a change", () => {
    const matrix = buildMatrix([
      run(
        "20.10",
        "PASSED",
        ["cluster: manager1 engine 20.10.24+dfsg1", "Leader 20.10.24+dfsg1"],
        [[cluster("20.10.24+dfsg1")]],
      ),
      run(
        "28.5",
        "PASSED",
        ["cluster: manager1 engine 28.5.2+dfsg4", "Leader 28.5.2+dfsg4"],
        [[cluster("28.5.2+dfsg4")]],
      ),
    ]);
    expect(matrix.changes).toEqual([]);
  });

  it("normalises ids, tokens, times, sample counts, progress, spacing and address order", () => {
    expect(comparable("node kp4pi1bxnczg0ca8xnu4e8psq token SWMTKN-1-abc-def engine 20.10.24")).toBe(
      "node <id> token SWMTKN-1-… engine <version>",
    );
    expect(
      comparable(
        '7fu2flvy1no1   ingress   overlay   swarm  \n\noverall progress: 2 out of 3 tasks\n  "Created": "2026-11-26T16:43:00.435648877Z"',
      ),
    ).toBe('<id>   ingress   overlay   swarm\n"Created": "<time>"');
    expect(comparable("noted: 10.0.1.9, 10.0.1.10, 10.0.1.11 (16 samples)")).toBe(
      "noted: 10.0.1.10, 10.0.1.11, 10.0.1.9 (<n> samples)",
    );
  });

  it("renders a self-contained HTML grid linking each cell to its engine's report", () => {
    const matrix = buildMatrix([
      { ...run("20.10", "PASSED", ["a <b>"]), htmlReport: "20.10.html" },
      { ...run("26.1", "PASSED", ["c"]), htmlReport: "26.1.html" },
    ]);
    const html = renderMatrixHtml(matrix);
    expect(html).toContain('<a href="26.1.html">passed Δ</a>');
    expect(html).toContain("<details open><summary>1 change(s)</summary>");
    expect(html).toContain("a &lt;b&gt;");
    expect(html).not.toMatch(/<script|<link|src=/);
  });

  it("finds no change between two real runs of the same engine and code", () => {
    // Two full 20.10 runs recorded here (a matrix run and the host pass of .ci/run),
    // trimmed to what the report reads. The second left the kernel scenarios to its UML pass.
    const runOf = (engine: string, file: string): EngineRun => ({
      engine,
      seconds: 0,
      exitCode: 0,
      scenarios: scenarioOutcomes(
        gunzipSync(readFileSync(new URL(`fixtures/matrix/${file}`, import.meta.url))).toString(),
      ),
    });
    const matrix = buildMatrix([runOf("run1", "20.10-run1.ndjson.gz"), runOf("run2", "20.10-run2.ndjson.gz")], {
      onlyCommon: true,
    });
    expect(matrix.rows.length).toBeGreaterThan(60);
    expect(notableChanges(matrix)).toEqual([]);
  });
});

describe("the matrix under parallel workers", () => {
  const recorded = gunzipSync(
    readFileSync(new URL("fixtures/matrix/20.10-run1.ndjson.gz", import.meta.url)),
  ).toString();

  it("finds no change when the same run's scenarios ran on other workers' lab subnets", () => {
    // What a second worker does to the same scenarios: its clusters sit on 192.168.34.0/24
    // (and its data networks on 192.168.134.0/24) instead of the first worker's.
    const elsewhere = recorded.replace(/192\.168\.33\./g, "192.168.34.").replace(/192\.168\.133\./g, "192.168.134.");
    expect(elsewhere).not.toEqual(recorded);
    const runOf = (engine: string, ndjson: string): EngineRun => ({
      engine,
      seconds: 0,
      exitCode: 0,
      scenarios: scenarioOutcomes(ndjson),
    });
    const matrix = buildMatrix([runOf("worker0", recorded), runOf("worker1", elsewhere)], { onlyCommon: true });
    expect(matrix.rows.length).toBeGreaterThan(60);
    expect(notableChanges(matrix)).toEqual([]);
  });

  it("names addresses by network, not by worker", () => {
    const [outcome] = scenarioOutcomes(stream("PASSED", ["x"], [[cluster("20.10.24", "192.168.35.10")]]));
    const unplaced = withoutWorkerSubnets(outcome);
    expect(unplaced("Peers 192.168.35.11, 192.168.135.12; other 192.168.36.10")).toBe(
      "Peers <lab>.11, <data>.12; other 192.168.36.10",
    );
  });
});
