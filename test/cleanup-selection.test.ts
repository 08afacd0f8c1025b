import { describe, it } from "node:test";
import { expect } from "expect";
import { LABEL_HOST, LABEL_MANAGED, LABEL_PID, selectStale } from "../support/host/labels.js";

const ours = (id: string, pid: string, host = "box") => ({
  id,
  labels: { [LABEL_MANAGED]: "true", [LABEL_PID]: pid, [LABEL_HOST]: host },
});

describe("selectStale", () => {
  const alive = (pid: number) => pid === 100;

  it("picks our resources whose process is gone", () => {
    expect(selectStale([ours("a", "100"), ours("b", "200")], alive, "box").map((r) => r.id)).toEqual(["b"]);
  });

  it("never picks a user's unlabelled resources", () => {
    expect(
      selectStale(
        [
          { id: "user", labels: {} },
          { id: "none", labels: undefined },
        ],
        alive,
        "box",
      ),
    ).toEqual([]);
  });

  it("leaves resources made on another host alone", () => {
    expect(selectStale([ours("remote", "200", "other")], alive, "box")).toEqual([]);
  });

  it("treats a missing or bad pid label as stale", () => {
    expect(selectStale([ours("x", "not-a-pid"), ours("y", "0")], alive, "box").map((r) => r.id)).toEqual(["x", "y"]);
  });
});
