// The one way swarmnet starts cucumber-js: the suite's passes, the engine matrix and
// the bench all run it through here.
import { execa } from "execa";
import { loadConfiguration, loadSources, type IPlannedPickle } from "@cucumber/cucumber/api";
import { config } from "../run/config.js";

export interface CucumberRun {
  /** Extra environment for the run (the settings of a pass or an engine line). */
  env?: Record<string, string>;
  /** Each output line carries it: a pass beside another has its lines interleaved. */
  prefix?: string;
  /** Keep the output instead of printing it (the bench reads the summary line). */
  capture?: boolean;
}

/** Runs cucumber-js with `args`; its exit code, and its output when captured. */
export async function runCucumber(
  args: string[],
  { env = {}, prefix, capture = false }: CucumberRun = {},
): Promise<{ exitCode: number; stdout: string }> {
  // A kept cluster holds its worker's lab subnet: the run stops at the first failure.
  const stopAtFailure = config().keep === "on-failure" ? ["--fail-fast"] : [];
  // cucumber-js itself is the child, not npx: npx dies on SIGTERM without passing it
  // on, which would leave cucumber and its workers running after an interrupted suite.
  const child = execa("cucumber-js", [...args, ...stopAtFailure], {
    preferLocal: true,
    stdio: prefix || capture ? ["ignore", "pipe", "pipe"] : "inherit",
    reject: false,
    env,
    lines: false,
  });
  if (prefix) {
    for (const [stream, out] of [
      [child.stdout, process.stdout],
      [child.stderr, process.stderr],
    ] as const) {
      let pending = "";
      stream?.on("data", (chunk: Buffer) => {
        const lines = (pending + chunk.toString()).split("\n");
        pending = lines.pop() ?? "";
        for (const line of lines) out.write(`${prefix}${line}\n`);
      });
      stream?.on("end", () => pending && out.write(`${prefix}${pending}\n`));
    }
  }
  const result = await child;
  return { exitCode: result.exitCode ?? 1, stdout: typeof result.stdout === "string" ? result.stdout : "" };
}

/** What cucumber-js makes of `args` (with `tags` added to them). */
async function configurationOf(args: readonly string[], tags?: string) {
  const profiles: string[] = [];
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--profile" || args[i] === "-p") profiles.push(args[++i]);
    else rest.push(args[i]);
  }
  const { runConfiguration } = await loadConfiguration({
    file: "cucumber.mjs",
    profiles,
    provided: tags ? [...rest, "--tags", tags] : rest,
  });
  return runConfiguration;
}

/** The scenarios cucumber-js would run for `args` (with `tags`: those of them that match). */
export async function plannedScenarios(args: readonly string[], tags?: string): Promise<IPlannedPickle[]> {
  return (await loadSources((await configurationOf(args, tags)).sources)).plan;
}

/** How many scenarios cucumber-js would run for `args` (with `tags`: of those, how many match them). */
export async function scenarioCount(args: readonly string[], tags?: string): Promise<number> {
  return (await plannedScenarios(args, tags)).length;
}

/** `args` without the feature paths in them: the options, to which other paths can be given. */
export async function withoutPaths(args: readonly string[]): Promise<string[]> {
  const paths = new Set((await configurationOf(args)).sources.paths);
  return args.filter((arg) => !paths.has(arg));
}
