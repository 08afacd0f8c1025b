// Builds docs/steps.md from the step definitions themselves (via cucumber's API),
// with an example of each taken from the features, so the docs cannot drift.
import { readdir, readFile } from "node:fs/promises";
import { basename, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { loadConfiguration, loadSupport } from "@cucumber/cucumber/api";
import { AstBuilder, compile, GherkinClassicTokenMatcher, Parser } from "@cucumber/gherkin";
import {
  IdGenerator,
  type FeatureChild,
  type GherkinDocument,
  type PickleStep,
  type RuleChild,
} from "@cucumber/messages";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
export const STEPS_DOC = join(ROOT, "docs", "steps.md");

interface Example {
  feature: string;
  lines: string[];
}

export interface DocumentedStep {
  keyword: string;
  pattern: string;
  file: string;
  line: number;
  example?: Example;
}

/** Lines of a data table shown in an example, header included. */
const TABLE_ROWS_SHOWN = 4;

/** The keyword of every step of a Gherkin document, by the step's AST node id. */
function keywordsOf(document: GherkinDocument): Map<string, string> {
  const keywords = new Map<string, string>();
  const visit = (children: readonly (FeatureChild | RuleChild)[]) => {
    for (const child of children) {
      for (const step of (child.background ?? child.scenario)?.steps ?? []) keywords.set(step.id, step.keyword.trim());
      if ("rule" in child && child.rule) visit(child.rule.children);
    }
  };
  visit(document.feature?.children ?? []);
  return keywords;
}

/** A step as it would be written, with the data table or doc string under it. */
function exampleLines(keyword: string, step: PickleStep): string[] {
  const lines = [`${keyword} ${step.text}`];
  const table = step.argument?.dataTable;
  if (table)
    lines.push(...table.rows.slice(0, TABLE_ROWS_SHOWN).map((r) => `  | ${r.cells.map((c) => c.value).join(" | ")} |`));
  const doc = step.argument?.docString;
  if (doc) lines.push('"""', ...doc.content.split("\n"), '"""');
  return lines;
}

/** Each step of every feature as cucumber runs it (outlines expanded), with how it is written. */
async function featureSteps(): Promise<{ text: string; example: Example }[]> {
  const dir = join(ROOT, "features");
  const files = (await readdir(dir, { recursive: true })).filter((f) => f.endsWith(".feature")).sort();
  const newId = IdGenerator.incrementing();
  const steps: { text: string; example: Example }[] = [];
  for (const file of files) {
    const uri = `features/${file}`;
    const parser = new Parser(new AstBuilder(newId), new GherkinClassicTokenMatcher());
    const document = parser.parse(await readFile(join(dir, file), "utf8"));
    const keywords = keywordsOf(document);
    for (const pickle of compile(document, uri, newId)) {
      for (const step of pickle.steps) {
        const keyword = keywords.get(step.astNodeIds[0]) ?? "*";
        steps.push({ text: step.text, example: { feature: uri, lines: exampleLines(keyword, step) } });
      }
    }
  }
  return steps;
}

interface LoadedLibrary {
  stepDefinitions: {
    keyword: string;
    pattern: string | RegExp;
    uri: string;
    line: number;
    expression: { match(text: string): unknown };
  }[];
  parameterTypeRegistry: { parameterTypes: Iterable<{ name?: string; regexpStrings: readonly string[] }> };
}

type StepCatalogue = { steps: DocumentedStep[]; parameterTypes: { name: string; regexp: string }[] };
let loaded: Promise<StepCatalogue> | undefined;

/**
 * Loaded once per process: cucumber registers step definitions when their modules
 * are first imported, so a second load would find none.
 */
export function documentedSteps(): Promise<StepCatalogue> {
  loaded ??= loadStepCatalogue();
  return loaded;
}

async function loadStepCatalogue(): Promise<StepCatalogue> {
  const { runConfiguration } = await loadConfiguration({ file: "cucumber.mjs" }, { cwd: ROOT });
  // The API's type for the library is opaque; these are the fields cucumber-js has.
  const library = (await loadSupport(runConfiguration, { cwd: ROOT })) as unknown as LoadedLibrary;
  const examples = await featureSteps();
  const steps = library.stepDefinitions.map((definition) => ({
    keyword: definition.keyword,
    pattern: String(definition.pattern),
    file: relative(ROOT, definition.uri),
    line: definition.line,
    example: examples.find((e) => definition.expression.match(e.text) !== null)?.example,
  }));
  const builtIn = new Set([
    "int",
    "float",
    "word",
    "string",
    "",
    "bigdecimal",
    "double",
    "biginteger",
    "byte",
    "short",
    "long",
  ]);
  const parameterTypes = [...library.parameterTypeRegistry.parameterTypes]
    .filter((t) => !builtIn.has(t.name ?? ""))
    .map((t) => ({ name: t.name ?? "", regexp: t.regexpStrings.join(" | ") }));
  return { steps, parameterTypes };
}

export async function renderStepsDoc(): Promise<string> {
  const { steps, parameterTypes } = await documentedSteps();
  const out = [
    "# Step vocabulary",
    "",
    "Generated by `npm run docs` from the step definitions in `steps/`; a unit test",
    "fails when this file is out of date. Each step shows an example from `features/`.",
    "See [writing-scenarios.md](writing-scenarios.md) for a walk-through.",
    "",
    "## Parameter types",
    "",
    "| type | matches | notes |",
    "|---|---|---|",
    ...parameterTypes.map(
      (t) => `| \`{${t.name}}\` | \`${t.regexp.replace(/\|/g, "\\|")}\` | ${PARAMETER_NOTES[t.name] ?? ""} |`,
    ),
    "",
  ];
  const byFile = new Map<string, DocumentedStep[]>();
  for (const step of steps) byFile.set(step.file, [...(byFile.get(step.file) ?? []), step]);
  for (const [file, group] of [...byFile].sort()) {
    out.push(`## ${TOPICS[basename(file)] ?? file} (\`${file}\`)`, "");
    for (const step of group) {
      out.push(`### ${step.keyword} ${step.pattern}`, "");
      if (step.example)
        out.push(`From \`${step.example.feature}\`:`, "", "```gherkin", ...step.example.lines, "```", "");
      else out.push("_No feature uses this step yet._", "");
    }
  }
  return `${out.join("\n").trimEnd()}\n`;
}

export const TOPICS: Record<string, string> = {
  "cluster.steps.ts": "Clusters and nodes",
  "fault.steps.ts": "Faults and recovery",
  "commands.steps.ts": "Docker commands, verbatim",
  "network.steps.ts": "Networks",
  "service.steps.ts": "Services",
  "traffic.steps.ts": "Traffic and DNS",
  "udp.steps.ts": "UDP and crafted VXLAN packets",
  "vni.steps.ts": "VNIs held by namespaces being torn down",
  "upgrade.steps.ts": "In-place upgrades",
};

export const PARAMETER_NOTES: Record<string, string> = {
  node: "a node of the scenario's cluster: manager1.., worker1..; an unknown name fails and lists the nodes",
  network: "a Docker network name; an unknown one fails when inspected, listing the node's networks",
  service: "a swarm service name; an unknown one fails, listing the services",
  endpoint:
    "where traffic starts: a task slot (`my-web.1`), the task of a service on a node (`my-web@worker1`), or a container the scenario started (`outsider`); an unknown one fails, saying what can be named",
  nodes:
    "nodes of the scenario's cluster as a list: `manager1, manager2 and worker1` (commas, and `and` before the last); each name is checked as for `{node}`",
  role: "`manager` or `worker`; anything else fails, listing both",
  cut: "`all its traffic` (unplugged from the lab network), `its control-plane traffic` (2377/tcp, 7946/tcp+udp), `its data-plane traffic` (the swarm's VXLAN port)",
  kernel:
    "a kernel line of `fixtures/kernels.json` (`6.1`, `6.12`, `7.2`: Debian's user-mode-linux) or a full version of one (`6.12.113`); UML nodes only; an unknown one fails, listing the lines",
  engine:
    "an engine line of `fixtures/engines.json` (`20.10`, `26.1`, `28.5`) or a longer version of one (`26.1.5`), or `under test`: the run's engine (`SWARMNET_ENGINE`, which may be an engine's own files); an unknown one fails, listing the lines",
  delivery:
    "how a datagram of the scenario went: `injected into` (crafted, sent at the node's VXLAN port from outside) or `sent on` (over the overlay)",
  status: "a node status as `docker node ls` prints it: `Ready`, `Down`, `Unknown`, `Disconnected`",
  deadline:
    "`within N s`: how long a step polls for the swarm to get there; it reports what it saw last (scaled by SWARMNET_TIMEOUT_SCALE)",
};

/** Step files without a topic heading and parameter types without a note: the docs test wants none. */
export async function undocumented(): Promise<{ files: string[]; parameterTypes: string[] }> {
  const { steps, parameterTypes } = await documentedSteps();
  return {
    files: [...new Set(steps.map((s) => basename(s.file)))].filter((f) => !TOPICS[f]),
    parameterTypes: parameterTypes.map((t) => t.name).filter((name) => !PARAMETER_NOTES[name]),
  };
}
