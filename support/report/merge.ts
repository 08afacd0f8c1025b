// Several cucumber message streams (shards, and each shard's container and UML passes)
// made one, the way Playwright's merge-reports does for its blobs: one run, each
// feature and scenario once, every test case of every stream. Every stream carries
// every source, document and pickle (cucumber emits all, then runs its selection), each
// with ids of its own; the first stream's are kept and the others' ids are rewritten to
// them, as are the test run ids. The junit and HTML formatters and the summary read the
// result as they read one run.
import {
  TimeConversion,
  type Envelope,
  type GherkinDocument,
  type Pickle,
  type TestRunFinished,
  type TestRunStarted,
} from "@cucumber/messages";
import { SwarmnetError } from "../run/errors.js";

export class MergeError extends SwarmnetError {}

/** Every `id` in a document, in a fixed walk order: two parses of one text give the same sequence. */
function idsInOrder(node: unknown, into: string[] = []): string[] {
  if (Array.isArray(node)) for (const item of node) idsInOrder(item, into);
  else if (node && typeof node === "object") {
    for (const [key, value] of Object.entries(node)) {
      if (key === "id" && typeof value === "string") into.push(value);
      else idsInOrder(value, into);
    }
  }
  return into;
}

/** Replaces every id-valued field (`id`, `…Id`, `…Ids`) found in `ids`; the rest is kept. */
function rewriteIds<T>(node: T, ids: ReadonlyMap<string, string>): T {
  if (Array.isArray(node)) return node.map((item) => rewriteIds(item, ids)) as T;
  if (!node || typeof node !== "object") return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    const idField = key === "id" || key.endsWith("Id") || key.endsWith("Ids");
    if (idField && typeof value === "string") out[key] = ids.get(value) ?? value;
    else if (idField && Array.isArray(value))
      out[key] = value.map((v: unknown) => (typeof v === "string" ? (ids.get(v) ?? v) : v));
    else out[key] = rewriteIds(value, ids);
  }
  return out as T;
}

const millis = (t: { seconds: number; nanos: number }) => TimeConversion.timestampToMillisecondsSinceEpoch(t);

/** One message stream from several; `labels` name them in errors (a file each). */
export function mergeMessageStreams(streams: readonly Envelope[][], labels: readonly string[]): Envelope[] {
  // The run starts with the earliest stream and ends with the latest; every stream's
  // test run id becomes the earliest's.
  const runs = streams.flatMap((envelopes) => envelopes.flatMap((e) => (e.testRunStarted ? [e.testRunStarted] : [])));
  const finished = streams.flatMap((envelopes) =>
    envelopes.flatMap((e) => (e.testRunFinished ? [e.testRunFinished] : [])),
  );
  const started = runs.reduce<TestRunStarted | undefined>(
    (first, run) => (!first || millis(run.timestamp) < millis(first.timestamp) ? run : first),
    undefined,
  );
  if (!started) throw new MergeError(`No test run in ${labels.join(", ") || "no stream"}: nothing to merge.`);
  const runIds = new Map(runs.flatMap((run) => (run.id && started.id ? [[run.id, started.id] as const] : [])));
  const sources = new Map<string, string>();
  const documents = new Map<string, GherkinDocument>();
  const pickles = new Map<string, Pickle>();
  const head: Envelope[] = [];
  const body: Envelope[] = [];
  streams.forEach((envelopes, s) => {
    const ids = new Map(runIds);
    // Documents and pickles come before anything that refers to them.
    for (const envelope of envelopes) {
      if (envelope.source) {
        const known = sources.get(envelope.source.uri);
        if (known === undefined) {
          sources.set(envelope.source.uri, envelope.source.data);
          head.push(envelope);
        } else if (known !== envelope.source.data)
          throw new MergeError(
            `${labels[s]} ran another version of ${envelope.source.uri} than the streams before it.`,
          );
      } else if (envelope.gherkinDocument?.uri) {
        const kept = documents.get(envelope.gherkinDocument.uri);
        if (!kept) {
          documents.set(envelope.gherkinDocument.uri, envelope.gherkinDocument);
          head.push(envelope);
          continue;
        }
        const [mine, theirs] = [idsInOrder(envelope.gherkinDocument), idsInOrder(kept)];
        mine.forEach((id, i) => ids.set(id, theirs[i]));
      } else if (envelope.pickle) {
        const pickle = rewriteIds(envelope.pickle, ids);
        const key = `${pickle.uri} ${pickle.astNodeIds.join(" ")}`;
        const kept = pickles.get(key);
        if (!kept) {
          pickles.set(key, envelope.pickle);
          head.push(envelope);
          continue;
        }
        ids.set(envelope.pickle.id, kept.id);
        envelope.pickle.steps.forEach((step, i) => ids.set(step.id, kept.steps[i].id));
      }
    }
    for (const envelope of envelopes) {
      if (envelope.source || envelope.gherkinDocument || envelope.pickle) continue;
      if (envelope.testRunStarted || envelope.testRunFinished) continue;
      if (envelope.meta) {
        if (s === 0) head.unshift(envelope);
      } else body.push(rewriteIds(envelope, ids));
    }
  });
  const last = finished.reduce<TestRunFinished | undefined>(
    (latest, f) => (!latest || millis(f.timestamp) > millis(latest.timestamp) ? f : latest),
    undefined,
  );
  const end: TestRunFinished = {
    timestamp: last?.timestamp ?? started.timestamp,
    // A stream that did not finish (a shard killed) leaves the run unsuccessful.
    success: finished.length === streams.length && finished.every((f) => f.success),
    ...(started.id && { testRunStartedId: started.id }),
  };
  return [...head, { testRunStarted: started }, ...body, { testRunFinished: end }];
}
