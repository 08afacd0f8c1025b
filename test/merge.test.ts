// Merging message streams: every document and pickle once, every test case of every
// stream, and every reference resolving in the merged run. The fixtures are cucumber's
// own streams of a dry run of two features as shards 1/2 and 2/2 (test/fixtures/shards).
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { describe, it } from "node:test";
import { expect } from "expect";
import { parseEnvelope, type Envelope } from "@cucumber/messages";
import { junitOf } from "../support/report/merge-output.js";
import { MergeError, mergeMessageStreams } from "../support/report/merge.js";
import { scenarioOutcomes } from "../support/report/outcomes.js";

const stream = (name: string): Envelope[] =>
  gunzipSync(readFileSync(`test/fixtures/shards/${name}`))
    .toString("utf8")
    .split("\n")
    .flatMap((line) => (line.trim() ? [parseEnvelope(line)] : []));

const count = (envelopes: Envelope[], kind: keyof Envelope) => envelopes.filter((e) => e[kind] !== undefined).length;

describe("merging message streams", () => {
  const [one, two] = [stream("dry-run-shard-1-of-2.ndjson.gz"), stream("dry-run-shard-2-of-2.ndjson.gz")];
  const merged = mergeMessageStreams([one, two], ["shard 1", "shard 2"]);

  it("keeps each document and pickle once and every test case of both", () => {
    expect(count(merged, "gherkinDocument")).toBe(count(one, "gherkinDocument"));
    expect(count(merged, "pickle")).toBe(count(one, "pickle"));
    expect(count(merged, "testCase")).toBe(count(one, "testCase") + count(two, "testCase"));
    expect([count(merged, "testRunStarted"), count(merged, "testRunFinished"), count(merged, "meta")]).toEqual([
      1, 1, 1,
    ]);
  });

  it("resolves every test case's pickle and pickle steps, and the one run, in the merged stream", () => {
    const pickles = new Map(merged.flatMap((e) => (e.pickle ? [[e.pickle.id, e.pickle] as const] : [])));
    const runId = merged.find((e) => e.testRunStarted)?.testRunStarted?.id;
    for (const { testCase } of merged.filter((e) => e.testCase)) {
      const pickle = pickles.get(testCase?.pickleId ?? "");
      expect(pickle).toBeDefined();
      const stepIds = new Set(pickle?.steps.map((s) => s.id));
      for (const step of testCase?.testSteps ?? [])
        if (step.pickleStepId) expect(stepIds.has(step.pickleStepId)).toBe(true);
      expect(testCase?.testRunStartedId).toBe(runId);
    }
  });

  it("reads as one run of every scenario: outcomes and junit count both shards' scenarios, none twice", () => {
    const names = (envelopes: Envelope[]) =>
      scenarioOutcomes(envelopes.map((e) => JSON.stringify(e)).join("\n")).map((o) => o.scenario);
    const all = merged.filter((e) => e.pickle).map((e) => `${e.pickle?.uri}: ${e.pickle?.name}`);
    expect(names(merged).sort()).toEqual(all.sort());
    expect(names(merged).length).toBe(names(one).length + names(two).length);
    expect(junitOf(merged)).toContain(`tests="${all.length}"`);
  });

  it("refuses streams that ran different versions of a feature", () => {
    const changed = two.map((e) =>
      e.source ? { ...e, source: { ...e.source, data: `${e.source.data}\n# changed` } } : e,
    );
    expect(() => mergeMessageStreams([one, changed], ["shard 1", "shard 2"])).toThrow(MergeError);
  });
});
