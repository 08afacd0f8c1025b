// Docker commands written verbatim, as in the tutorial, assertions on what they
// printed, and on what a node's daemon logged.
import { Then, When, type DataTable } from "@cucumber/cucumber";
import { expect } from "expect";
import type { StartedSwarmNode } from "../support/cluster/swarm-node.js";
import { INTERVAL_MS, LOG_TAIL_LINES } from "../support/run/limits.js";
import { eventually, type Deadline } from "../support/run/poll.js";
import { expandPlaceholders, shellQuote, splitWords } from "../support/text/command-line.js";
import { parseDockerTable } from "../support/text/docker-table.js";
import { escapeRegExp } from "../support/text/regexp.js";
import { expandIn, resolvePlaceholder } from "./placeholders.js";
import { rowForEngine, rowsOf } from "./tables.js";
import type { SwarmWorld } from "./world.js";

/** The last command and its output, into the report. */
function logLastCommand(world: SwarmWorld): void {
  const { node, command, result } = world.memory.recall("last command");
  world.log(`${node}$ ${command}\n(exit ${result.exitCode})\n${result.stdout}${result.stderr}`);
}

/**
 * Runs a command as written, on a node. Retried runs pass `log: false` and the step
 * logs the run that settled it: how many tries it took is timing, not behaviour.
 */
async function runVerbatim(
  world: SwarmWorld,
  node: StartedSwarmNode,
  written: string,
  { log = true, answer }: { log?: boolean; answer?: string } = {},
): Promise<void> {
  const command = await expandIn(world, written.trim());
  const words = splitWords(command);
  if (words[0] !== "docker") throw new Error(`Only docker commands run on nodes here; got: ${command}`);
  // A command that asks (`network rm ingress`) gets its answer on stdin, as a person types it.
  const result =
    answer === undefined
      ? await node.docker(words.slice(1))
      : await node.run(["sh", "-c", `printf '%s\\n' ${shellQuote([answer])} | ${shellQuote(words)}`]);
  world.memory.remember("last command", { node: node.name, command, result });
  if (!READ_ONLY.test(command)) world.acted(`${node.name}$ ${command}`);
  if (log) logLastCommand(world);
}

When("I run `{}` on {node}", async function (this: SwarmWorld, command: string, node: StartedSwarmNode) {
  await runVerbatim(this, node, command);
});

When(
  "I run `{}` on {node}, answering {string}",
  async function (this: SwarmWorld, command: string, node: StartedSwarmNode, answer: string) {
    await runVerbatim(this, node, command, { answer });
  },
);

When("I run on {node}:", async function (this: SwarmWorld, node: StartedSwarmNode, command: string) {
  await runVerbatim(this, node, command);
});

function describeLast(world: SwarmWorld): string {
  const { node, command, result } = world.memory.recall("last command");
  return `${node}$ ${command}\nexit ${result.exitCode}\nstdout: ${result.stdout}\nstderr: ${result.stderr}`;
}

Then("the command succeeds", function (this: SwarmWorld) {
  expect({ exitCode: this.memory.recall("last command").result.exitCode, run: describeLast(this) }).toMatchObject({
    exitCode: 0,
  });
});

Then("the command fails with {string}", function (this: SwarmWorld, message: string) {
  const { result } = this.memory.recall("last command");
  expect(result.exitCode).not.toBe(0);
  expect(`${result.stderr}${result.stdout}`).toContain(message);
});

Then(
  "{deadline}, `{}` on {node} fails with {string}",
  async function (this: SwarmWorld, deadline: Deadline, command: string, node: StartedSwarmNode, message: string) {
    // Re-run until the swarm has got there (a lost quorum is noticed after raft's election timeout).
    await eventually(
      `\`${command}\` on ${node.name} to fail with "${message}"`,
      async () => {
        await runVerbatim(this, node, command, { log: false });
        const { result } = this.memory.recall("last command");
        expect({
          exitCode: result.exitCode === 0 ? 0 : "non-zero",
          output: `${result.stderr}${result.stdout}`,
        }).toEqual({ exitCode: "non-zero", output: expect.stringContaining(message) });
      },
      { timeoutMs: deadline.ms, intervalMs: INTERVAL_MS.probe },
    ).finally(() => logLastCommand(this));
  },
);

Then(
  "{deadline}, `{}` on {node} succeeds",
  async function (this: SwarmWorld, deadline: Deadline, command: string, node: StartedSwarmNode) {
    // For changes Docker refuses until something else has finished (a network still in use by tasks going away).
    await eventually(
      `\`${command}\` on ${node.name} to succeed`,
      async () => {
        await runVerbatim(this, node, command, { log: false });
        expect({ exitCode: this.memory.recall("last command").result.exitCode, run: describeLast(this) }).toMatchObject(
          { exitCode: 0 },
        );
      },
      { timeoutMs: deadline.ms, intervalMs: INTERVAL_MS.probe },
    ).finally(() => logLastCommand(this));
  },
);

Then("the output contains {string}", async function (this: SwarmWorld, text: string) {
  await assertOnOutput(this, () => expect(this.memory.recall("last command").result.stdout).toContain(text));
});

/**
 * Where Docker's output changed between engine versions, the scenario says so: one
 * row per engine line, matched against the engine the node really runs.
 */
Then("the output contains, by engine:", async function (this: SwarmWorld, table: DataTable) {
  const rows = rowsOf(table, ["engine", "text"]);
  const node = this.cluster.node(this.memory.recall("last command").node);
  const version = await node.engineVersion();
  const row = rowForEngine(rows, version, node.name);
  const text = await expandIn(this, row.text);
  this.log(`observed: ${node.name} runs ${version}; expecting "${text}"`);
  await assertOnOutput(this, () => expect(this.memory.recall("last command").result.stdout).toContain(text));
});

Then("the output matches the pattern {string}", async function (this: SwarmWorld, pattern: string) {
  // Placeholder values are matched literally: the dots of an address are not wildcards.
  const regexp = await expandPlaceholders(pattern, async (key) => escapeRegExp(await resolvePlaceholder(this, key)));
  await assertOnOutput(this, () =>
    expect(this.memory.recall("last command").result.stdout).toMatch(new RegExp(regexp, "m")),
  );
});

/** Compares only the columns the scenario names; rows in any order. */
function tableRows(
  world: SwarmWorld,
  table: DataTable,
): { expected: Record<string, string>[]; actual: Record<string, string>[] } {
  const parsed = parseDockerTable(world.memory.recall("last command").result.stdout);
  if (parsed.length === 0)
    throw new Error(
      `The output of \`${world.memory.recall("last command").command}\` is not a table:\n${world.memory.recall("last command").result.stdout}`,
    );
  const columns = Object.keys(parsed[0]);
  const expected = rowsOf(
    table,
    [],
    columns.map((c) => c.toLowerCase()),
  );
  const names = Object.keys(expected[0]);
  const actual = parsed.map((row) =>
    Object.fromEntries(names.map((n) => [n, row[columns.find((c) => c.toLowerCase() === n) ?? n]])),
  );
  return { expected, actual };
}

const byJson = (a: Record<string, string>, b: Record<string, string>) =>
  JSON.stringify(a).localeCompare(JSON.stringify(b));

/** Listing commands may be re-run until their output shows what the scenario expects. */
const READ_ONLY = /^docker (?:[a-z]+ )?(?:ls|list|ps|inspect|version|info)\b/;

/**
 * Asserts on the last command's output. A swarm converges, so for a read-only
 * command the assertion is retried on fresh runs of it until a deadline, as a
 * person would run `docker network ls` again; other commands are asserted once.
 */
async function assertOnOutput(world: SwarmWorld, assertion: () => void): Promise<void> {
  const { node, command } = world.memory.recall("last command");
  if (!READ_ONLY.test(command)) return assertion();
  let runs = 0;
  await eventually(`\`${command}\` on ${node} to show the expected output`, async () => {
    if (runs++ > 0) await runVerbatim(world, world.cluster.node(node), command, { log: false });
    assertion();
  }).finally(() => {
    if (runs > 1) logLastCommand(world);
  });
}

Then("the output table has rows:", async function (this: SwarmWorld, table: DataTable) {
  await assertOnOutput(this, () => {
    const { expected, actual } = tableRows(this, table);
    expect(actual).toEqual(expect.arrayContaining(expected));
  });
});

Then("the output table has exactly these rows:", async function (this: SwarmWorld, table: DataTable) {
  await assertOnOutput(this, () => {
    const { expected, actual } = tableRows(this, table);
    expect(actual.sort(byJson)).toEqual(expected.sort(byJson));
  });
});

/** The lines of `node`'s daemon log, as far back as a step looks. */
async function daemonLogLines(node: StartedSwarmNode): Promise<string[]> {
  return (await node.daemonLogTail(LOG_TAIL_LINES.searched)).split("\n");
}

Then(
  "{deadline}, the daemon log of {node} has a line with {string}",
  async function (this: SwarmWorld, deadline: Deadline, node: StartedSwarmNode, text: string) {
    let found: string[] = [];
    await eventually(
      `${node.name}'s daemon log to have a line with "${text}"`,
      async () => {
        found = (await daemonLogLines(node)).filter((line) => line.includes(text));
        expect(found).not.toEqual([]);
      },
      { timeoutMs: deadline.ms },
    );
    this.log(`${node.name}'s daemon log:\n${found.join("\n")}`);
  },
);

Then(
  "the daemon log of {node} has a line with {string}, and none with {string}",
  async function (this: SwarmWorld, node: StartedSwarmNode, text: string, absent: string) {
    // One read of the log: the line that must be there shows that the read reached back far enough.
    const lines = await daemonLogLines(node);
    const seen = {
      [`lines with "${text}"`]: lines.filter((l) => l.includes(text)).length > 0,
      [`lines with "${absent}"`]: lines.filter((l) => l.includes(absent)),
    };
    expect(seen).toEqual({ [`lines with "${text}"`]: true, [`lines with "${absent}"`]: [] });
    this.log(`${node.name}'s daemon log (${lines.length} lines read) has "${text}" and no "${absent}"`);
  },
);
