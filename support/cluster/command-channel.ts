// A node's commands through one long-lived exec instead of an exec each. An exec
// costs the outer daemon, containerd and runc about 100 ms of CPU (50 `exec true`
// through the API: 5.1 s of CPU), and a suite makes thousands (2036 in 44 scenarios);
// a command on the channel costs about 17 ms. In the node, a bash loop reads a line
// per command, runs each in the background and writes a line per result, under a
// lock so that results never interleave.
import type { Duplex } from "node:stream";
import { PassThrough } from "node:stream";
import type Dockerode from "dockerode";
import { SwarmnetError } from "../run/errors.js";

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

export class CommandChannelError extends SwarmnetError {}

/** One line of the agent's output: which command, and its result. */
export function parseResultLine(line: string): { id: number; result: CommandResult } {
  const [id, code, out = "", err = ""] = line.split(" ");
  if (!/^\d+$/.test(id ?? "") || !/^\d+$/.test(code ?? ""))
    throw new CommandChannelError(`Unexpected line from a node's command channel: ${line.slice(0, 200)}`);
  const text = (b64: string) => Buffer.from(b64, "base64").toString("utf8");
  return { id: Number(id), result: { exitCode: Number(code), stdout: text(out), stderr: text(err) } };
}

/** A command as the agent reads it: `<id> <argv, NUL-separated, base64>\n`. */
export function commandLine(id: number, command: readonly string[]): string {
  return `${id} ${Buffer.from(command.map((a) => `${a}\0`).join(""), "utf8").toString("base64")}\n`;
}

interface Pending {
  command: readonly string[];
  resolve: (result: CommandResult) => void;
  reject: (error: Error) => void;
}

/** One open exec: commands in flight by id. Ended for good when the exec ends. */
class Session {
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private buffered = "";
  private agentErrors = "";
  private endedWith?: Error;

  constructor(
    private readonly stream: Duplex & { ref?: () => void; unref?: () => void },
    modem: { demuxStream: (stream: Duplex, stdout: PassThrough, stderr: PassThrough) => void },
    private readonly nodeName: string,
    private readonly onEnd: () => void,
  ) {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    modem.demuxStream(stream, stdout, stderr);
    stdout.on("data", (chunk: Buffer) => this.receive(chunk.toString("utf8")));
    stderr.on("data", (chunk: Buffer) => (this.agentErrors = (this.agentErrors + chunk.toString("utf8")).slice(-2000)));
    stream.on("end", () => this.end("the exec ended"));
    stream.on("close", () => this.end("the exec closed"));
    stream.on("error", (error: Error) => this.end(error.message));
    // An idle channel must not keep the harness process alive.
    stream.unref?.();
  }

  run(command: readonly string[]): Promise<CommandResult> {
    if (this.endedWith) return Promise.reject(this.endedWith);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      if (this.pending.size === 0) this.stream.ref?.();
      this.pending.set(id, { command, resolve, reject });
      this.stream.write(commandLine(id, command));
    });
  }

  close(): void {
    this.stream.end();
  }

  private receive(text: string): void {
    this.buffered += text;
    let newline: number;
    while ((newline = this.buffered.indexOf("\n")) >= 0) {
      const line = this.buffered.slice(0, newline);
      this.buffered = this.buffered.slice(newline + 1);
      if (line !== "") this.settle(line);
    }
  }

  private settle(line: string): void {
    let parsed: ReturnType<typeof parseResultLine>;
    try {
      parsed = parseResultLine(line);
    } catch (error) {
      this.end((error as Error).message);
      return;
    }
    const waiting = this.pending.get(parsed.id);
    if (!waiting) return;
    this.pending.delete(parsed.id);
    if (this.pending.size === 0) this.stream.unref?.();
    waiting.resolve(parsed.result);
  }

  private end(why: string): void {
    if (this.endedWith) return;
    const errors = this.agentErrors.trim() ? ` (its stderr: ${this.agentErrors.trim()})` : "";
    this.endedWith = new CommandChannelError(`The command channel to ${this.nodeName} ended: ${why}${errors}`);
    for (const { command, reject } of this.pending.values()) {
      reject(new CommandChannelError(`${this.endedWith.message}, with \`${command.join(" ")}\` still running`));
    }
    this.pending.clear();
    this.stream.unref?.();
    this.onEnd();
  }
}

/**
 * Runs commands in a node's container over one exec, opened on first use and again
 * after the container stopped or restarted. A command the node never answers because
 * its container went away fails with a CommandChannelError naming the node.
 */
export class CommandChannel {
  private session?: Promise<Session>;

  constructor(
    private readonly container: Dockerode.Container,
    private readonly nodeName: string,
  ) {}

  async run(command: readonly string[]): Promise<CommandResult> {
    return (await this.open()).run(command);
  }

  /** Ends the exec: the agent finishes what runs and exits. */
  async close(): Promise<void> {
    const session = this.session;
    this.session = undefined;
    (await session?.catch(() => undefined))?.close();
  }

  private open(): Promise<Session> {
    if (!this.session) {
      const opening: Promise<Session> = this.start(() => {
        if (this.session === opening) this.session = undefined;
      });
      this.session = opening;
      // A failed open is not kept: the next command tries again (the container may be starting).
      opening.catch(() => {
        if (this.session === opening) this.session = undefined;
      });
    }
    return this.session;
  }

  private async start(onEnd: () => void): Promise<Session> {
    const exec = await this.container.exec({
      Cmd: ["bash", "-c", COMMAND_AGENT],
      AttachStdin: true,
      AttachStdout: true,
      AttachStderr: true,
      Tty: false,
    });
    const stream = (await exec.start({ hijack: true, stdin: true })) as Duplex;
    return new Session(stream, this.container.modem, this.nodeName, onEnd);
  }
}
