import { describe, it } from "node:test";
import { expect } from "expect";
import { execa } from "execa";

/** Runs ci/scenarios-then-checks.sh with stand-ins for the scenarios, the leftover check and the summary. */
async function run(scenarios: string, leftovers: string, summary = "echo summary ran") {
  const script = `source ci/scenarios-then-checks.sh; scenarios_then_checks '${leftovers}' '${summary}' bash -c '${scenarios}'`;
  return execa("bash", ["-c", script], { reject: false });
}

describe("ci/test.sh's ending", () => {
  it("runs the leftover check and the summary when scenarios fail, and fails with their code", async () => {
    const result = await run("echo scenarios; exit 3", "echo leftover check ran");
    expect(result.stdout.split("\n")).toEqual(["scenarios", "leftover check ran", "summary ran"]);
    expect(result.exitCode).toBe(3);
  });

  it("fails when scenarios pass but something was left behind", async () => {
    const result = await run("exit 0", "exit 1");
    expect(result.stdout).toBe("summary ran");
    expect(result.exitCode).toBe(1);
  });

  it("fails when everything passed but the summary found a flaky scenario", async () => {
    expect((await run("exit 0", "exit 0", "echo FLAKY; exit 1")).exitCode).toBe(1);
  });

  it("passes when both pass", async () => {
    expect((await run("exit 0", "exit 0")).exitCode).toBe(0);
  });
});
