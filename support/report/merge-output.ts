// What `npm run report:merge` writes from merged message streams (merge.ts): the same
// files a `ci` run writes, made by the same formatters cucumber-js uses for them.
import { createWriteStream } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { CucumberHtmlStream } from "@cucumber/html-formatter";
import { JUnitXmlPrinter } from "@cucumber/junit-xml-formatter";
import type { Envelope } from "@cucumber/messages";

export const MERGED_FILES = ["messages.ndjson", "junit.xml", "cucumber.html"] as const;

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
  await writeFile(join(dir, "messages.ndjson"), envelopes.map((e) => `${JSON.stringify(e)}\n`).join(""));
  await writeFile(join(dir, "junit.xml"), junitOf(envelopes));
  await pipeline(
    Readable.from(envelopes, { objectMode: true }),
    new CucumberHtmlStream(),
    createWriteStream(join(dir, "cucumber.html")),
  );
}
