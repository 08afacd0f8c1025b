// Message streams read from disk and merged (merge.ts), and what is written from them:
// the same files a `ci` run writes, made by the formatters cucumber-js uses for them.
import { createWriteStream, existsSync, statSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { CucumberHtmlStream } from "@cucumber/html-formatter";
import { JUnitXmlPrinter } from "@cucumber/junit-xml-formatter";
import { parseEnvelope, type Envelope } from "@cucumber/messages";
import { UML_REPORTS } from "../run/uml-pass.js";
import { mergeMessageStreams } from "./merge.js";

/**
 * The message streams of one run: a report dir's `messages.ndjson` and its UML pass's
 * (`uml/messages.ndjson`), or a stream file and the UML pass's beside it (`uml/<file>`).
 */
export function runStreams(dirOrFile: string): string[] {
  const [dir, name] =
    existsSync(dirOrFile) && statSync(dirOrFile).isDirectory()
      ? [dirOrFile, "messages.ndjson"]
      : [dirname(dirOrFile), basename(dirOrFile)];
  return [join(dir, name), join(dir, UML_REPORTS, name)].filter((f) => existsSync(f));
}

/** The streams in `files`, merged into one run (one file: as it is). */
export async function readRun(files: readonly string[]): Promise<Envelope[]> {
  const streams = await Promise.all(
    files.map(async (f) =>
      (await readFile(f, "utf8")).split("\n").flatMap((l) => (l.trim() ? [parseEnvelope(l)] : [])),
    ),
  );
  return streams.length === 1 ? streams[0] : mergeMessageStreams(streams, files);
}

/** The run as NDJSON, the form the outcomes are read from. */
export const ndjsonOf = (envelopes: readonly Envelope[]) => envelopes.map((e) => `${JSON.stringify(e)}\n`).join("");

export async function writeHtml(envelopes: readonly Envelope[], file: string): Promise<void> {
  await pipeline(Readable.from(envelopes, { objectMode: true }), new CucumberHtmlStream(), createWriteStream(file));
}

export function junitOf(envelopes: readonly Envelope[]): string {
  let xml = "";
  const printer = new JUnitXmlPrinter({}, (content) => {
    xml += content;
  });
  for (const envelope of envelopes) printer.update(envelope);
  return xml;
}

export async function writeMergedReports(envelopes: readonly Envelope[], dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, "messages.ndjson"), ndjsonOf(envelopes));
  await writeFile(join(dir, "junit.xml"), junitOf(envelopes));
  await writeHtml(envelopes, join(dir, "cucumber.html"));
}
