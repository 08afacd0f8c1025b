import { describe, it } from "node:test";
import { expect } from "expect";
import {
  Deadline,
  NotHeldError,
  PollTimeoutError,
  eventually,
  holds,
  nextInterval,
  pollUntil,
  scaledTimeout,
} from "../support/run/poll.js";

describe("pollUntil", () => {
  it("returns the first accepted value", async () => {
    let n = 0;
    expect(
      await pollUntil(
        "n to reach 3",
        async () => ++n,
        (v) => v >= 3,
        { timeoutMs: 1000, intervalMs: 1 },
      ),
    ).toBe(3);
  });

  it("times out reporting what it saw last", async () => {
    const error = await pollUntil(
      "never",
      async () => ({ seen: 42 }),
      () => false,
      { timeoutMs: 30, intervalMs: 5 },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PollTimeoutError);
    expect(String(error)).toMatch(/Timed out after 0.03s waiting for never\.\nLast seen: \{ seen: 42 \}/);
  });

  it("reports the last value as `describe` shows it", async () => {
    const error = await pollUntil(
      "never",
      async () => [{ name: "worker2", status: "Down" }],
      () => false,
      { timeoutMs: 20, intervalMs: 5, describe: (list) => list.map((n) => `${n.name} ${n.status}`) },
    ).catch((e: unknown) => e);
    expect(String(error)).toContain("Last seen: [ 'worker2 Down' ]");
  });

  it("treats a throwing observation as not yet, and reports its error", async () => {
    const error = await pollUntil(
      "a daemon",
      async () => {
        throw new Error("connection refused");
      },
      () => true,
      { timeoutMs: 20, intervalMs: 5 },
    ).catch((e: unknown) => e);
    expect(String(error)).toContain("Last seen: connection refused");
  });
});

describe("nextInterval", () => {
  it("grows the pause by half up to a second", () => {
    const pauses = [200];
    while (pauses.length < 7) pauses.push(nextInterval(pauses[pauses.length - 1], 200));
    expect(pauses).toEqual([200, 300, 450, 675, 1000, 1000, 1000]);
  });

  it("keeps a first pause longer than a second", () => {
    expect(nextInterval(5000, 5000)).toBe(5000);
  });
});

describe("eventually", () => {
  it("passes once the assertion passes", async () => {
    let n = 0;
    await eventually("n > 2", async () => expect(++n).toBeGreaterThan(2), { timeoutMs: 1000, intervalMs: 1 });
    expect(n).toBe(3);
  });

  it("fails with the last assertion error, expected and actual included", async () => {
    const error = await eventually("the answer", async () => expect(41).toBe(42), {
      timeoutMs: 20,
      intervalMs: 5,
    }).catch((e: unknown) => e);
    expect(String(error)).toMatch(
      /Still failing after 0.02s of waiting for the answer:[\s\S]*Expected: 42[\s\S]*Received: 41/,
    );
  });
});

describe("holds", () => {
  it("samples over the whole window, at least twice", async () => {
    const started = Date.now();
    const samples = await holds("ok", async () => undefined, { durationMs: 60, intervalMs: 10 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(60);
    expect(samples).toBeGreaterThanOrEqual(2);
  });

  it("fails on the first sample that breaks, saying when", async () => {
    let n = 0;
    const error = await holds("worker2 Ready", async () => expect(++n).toBeLessThan(3), {
      durationMs: 1000,
      intervalMs: 5,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotHeldError);
    expect(String(error)).toMatch(/worker2 Ready held for 0\.\d s of 1 s, then:/);
    expect(n).toBe(3);
  });

  it("fails at once when the condition is false from the start", async () => {
    await expect(holds("x", async () => expect(1).toBe(2), { durationMs: 5000 })).rejects.toThrow(
      /held for 0.0 s of 5 s/,
    );
  });
});

describe("deadlines", () => {
  it("reads 'within N s' and refuses nonsense", () => {
    expect(new Deadline(60).ms).toBe(60_000);
    expect(String(new Deadline(5))).toBe("within 5 s");
    expect(() => new Deadline(0)).toThrow(RangeError);
  });

  it("scale with SWARMNET_TIMEOUT_SCALE", () => {
    expect(scaledTimeout(1000, 2.5)).toBe(2500);
    expect(scaledTimeout(1000)).toBe(1000);
  });
});
