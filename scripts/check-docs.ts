// Part of `npm run lint`: the README stays a front page (support/report/docs-check.ts)
// and the generated pages are up to date.
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { CONFIGURATION_DOC, renderConfigurationDoc } from "../support/report/config-docs.js";
import { readmeProblems } from "../support/report/docs-check.js";

async function main(): Promise<number> {
  const problems = readmeProblems(await readFile("README.md", "utf8"), (path) => existsSync(path));
  if ((await readFile(CONFIGURATION_DOC, "utf8").catch(() => "")) !== renderConfigurationDoc())
    problems.push("docs/configuration.md is out of date: run `npm run docs`");
  for (const p of problems) console.error(p);
  return problems.length === 0 ? 0 : 1;
}

process.exitCode = await main();
