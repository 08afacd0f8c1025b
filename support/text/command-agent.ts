// The command agent's protocol: a bash loop in a node reads one line per command and
// writes one line per result, so that one long-lived stream (an exec into a
// container, a TCP connection from a UML node) carries every command to the node.
// In the node, each command runs in the background, and results are written under
// a lock so that they never interleave.

export class CommandAgentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CommandAgentError";
  }
}

export interface CommandResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** In: `<id> <argv, NUL-separated, base64>`. Out: `<id> <exit code> <stdout base64> <stderr base64>`. */
export const COMMAND_AGENT = [
  "lock=$(mktemp)",
  "while read -r id payload; do",
  "  (",
  "    mapfile -d '' -t argv < <(printf %s \"$payload\" | base64 -d)",
  "    out=$(mktemp) err=$(mktemp)",
  '    "${argv[@]}" >"$out" 2>"$err" </dev/null',
  "    code=$?",
  '    o=$(base64 -w0 <"$out") e=$(base64 -w0 <"$err")',
  '    rm -f "$out" "$err"',
  '    { flock 9; printf \'%s %s %s %s\\n\' "$id" "$code" "$o" "$e"; } 9>"$lock"',
  "  ) &",
  "done",
  "wait",
  'rm -f "$lock"',
].join("\n");

/** One line of the agent's output: which command, and its result. */
export function parseResultLine(line: string): { id: number; result: CommandResult } {
  const [id, code, out = "", err = ""] = line.split(" ");
  if (!/^\d+$/.test(id ?? "") || !/^\d+$/.test(code ?? ""))
    throw new CommandAgentError(`Unexpected line from a node's command channel: ${line.slice(0, 200)}`);
  const text = (b64: string) => Buffer.from(b64, "base64").toString("utf8");
  return { id: Number(id), result: { exitCode: Number(code), stdout: text(out), stderr: text(err) } };
}

/** A command as the agent reads it: `<id> <argv, NUL-separated, base64>\n`. */
export function commandLine(id: number, command: readonly string[]): string {
  return `${id} ${Buffer.from(command.map((a) => `${a}\0`).join(""), "utf8").toString("base64")}\n`;
}
