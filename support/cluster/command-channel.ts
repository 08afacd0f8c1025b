// A node's commands through one long-lived stream to its command agent
// (text/command-agent.ts) instead of an exec each: every exec costs the outer daemon,
// containerd and runc CPU, and a suite makes thousands (docs/decisions/command-channel.md).
// A container node's stream is an exec; a UML node's
// is a TCP connection that the node opens to this process (cluster/uml-node.ts).
import { PassThrough, type Duplex, type Readable, type Writable } from "node:stream";
import type Dockerode from "dockerode";
import { SwarmnetError } from "../run/errors.js";
import { DEADLINE_MS } from "../run/limits.js";
import { scaledTimeout } from "../run/poll.js";
import { COMMAND_AGENT, commandLine, parseResultLine, type CommandResult } from "../text/command-agent.js";

export type { CommandResult };

export class CommandChannelError extends SwarmnetError {}

interface Pending {
  command: readonly string[];
  resolve: (result: CommandResult) => void;
  reject: (error: Error) => void;
  deadline: NodeJS.Timeout;
}

/** The two ends of an agent's stream, however it is carried. */
export interface AgentStreams {
  /** The agent's results, one line each. */
  output: Readable;
  /** Commands to the agent, one line each. */
  input: Writable;
  /** What the agent itself says on stderr, where that is apart from its results. */
  errors?: Readable;
  /** Whether the stream keeps this process alive. */
  ref(): void;
  unref(): void;
  /** Ends the stream: the agent finishes what runs and exits. */
  end(): void;
}

/** One open stream: commands in flight by id. Ended for good when the stream ends. */
class Session {
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private buffered = "";
  private agentErrors = "";
  private endedWith?: Error;

  constructor(
    private readonly streams: AgentStreams,
    private readonly nodeName: string,
    private readonly livenessDeadlineMs: number,
    private readonly onEnd: () => void,
  ) {
    streams.output.on("data", (chunk: Buffer) => this.receive(chunk.toString("utf8")));
    streams.errors?.on(
      "data",
      (chunk: Buffer) => (this.agentErrors = (this.agentErrors + chunk.toString("utf8")).slice(-2000)),
    );
    for (const stream of [streams.output, streams.input]) {
      stream.on("end", () => this.end("the stream ended"));
      stream.on("close", () => this.end("the stream closed"));
      stream.on("error", (error: Error) => this.end(error.message));
    }
    // A socket that waited for its hello line was paused: it flows from here.
    streams.output.resume();
    // An idle channel must not keep the harness process alive.
    streams.unref();
  }

  /**
   * A command that gives no answer within `deadlineMs` fails, naming it; it may still
   * run in the node. The error says whether the node answered anything meanwhile.
   */
  run(command: readonly string[], deadlineMs: number, checkLiveness = true): Promise<CommandResult> {
    if (this.endedWith) return Promise.reject(this.endedWith);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      if (this.pending.size === 0) this.streams.ref();
      const deadline = setTimeout(() => {
        this.forget(id);
        const noAnswer = `On ${this.nodeName}, \`${command.join(" ")}\` gave no answer within ${deadlineMs / 1000} s`;
        if (!checkLiveness) {
          reject(new CommandChannelError(`${noAnswer}.`));
          return;
        }
        void this.liveness().then((state) =>
          reject(new CommandChannelError(`${noAnswer} (it may still run there); ${state}.`)),
        );
      }, deadlineMs);
      this.pending.set(id, { command, resolve, reject, deadline });
      this.streams.input.write(commandLine(id, command));
    });
  }

  /**
   * Whether the node answers a trivial command now: it tells a command stuck in the
   * node (a hung daemon) from a stalled node or channel (a starved kernel, a dead link).
   */
  private async liveness(): Promise<string> {
    const started = Date.now();
    try {
      await this.run(["true"], this.livenessDeadlineMs, false);
      return `the node answered \`true\` in ${((Date.now() - started) / 1000).toFixed(1)} s just after, so its channel works and that command itself is stuck`;
    } catch {
      return this.endedWith
        ? `then the channel ended: ${this.endedWith.message}`
        : `\`true\` got no answer within ${this.livenessDeadlineMs / 1000} s either: the node or its channel is stalled`;
    }
  }

  /** Takes command `id` off the pending list; returns it if it was there. */
  private forget(id: number): Pending | undefined {
    const waiting = this.pending.get(id);
    if (!waiting) return undefined;
    clearTimeout(waiting.deadline);
    this.pending.delete(id);
    if (this.pending.size === 0) this.streams.unref();
    return waiting;
  }

  close(): void {
    this.streams.end();
  }

  /** Ends the session now, failing what is in flight (the node is known to be gone). */
  abort(why: string): void {
    this.end(why);
    this.streams.end();
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
    this.forget(parsed.id)?.resolve(parsed.result);
  }

  private end(why: string): void {
    if (this.endedWith) return;
    const errors = this.agentErrors.trim() ? ` (its stderr: ${this.agentErrors.trim()})` : "";
    this.endedWith = new CommandChannelError(`The command channel to ${this.nodeName} ended: ${why}${errors}`);
    for (const { command, reject, deadline } of this.pending.values()) {
      clearTimeout(deadline);
      reject(new CommandChannelError(`${this.endedWith.message}, with \`${command.join(" ")}\` still running`));
    }
    this.pending.clear();
    this.streams.unref();
    this.onEnd();
  }
}

/**
 * Runs commands in a node over one agent stream, opened on first use and again after
 * it ended (the node stopped or restarted). A command the node never answers because
 * it went away fails with a CommandChannelError naming the node.
 */
export class CommandChannel {
  private session?: Promise<Session>;

  constructor(
    private readonly openStreams: () => Promise<AgentStreams>,
    private readonly nodeName: string,
    /** How long a command may go unanswered (a hung command fails, naming itself, before its step times out). */
    private readonly commandDeadlineMs = scaledTimeout(DEADLINE_MS.nodeCommand),
    /** How long the node then has to answer `true`, which tells a stuck command from a stalled node. */
    private readonly livenessDeadlineMs = scaledTimeout(DEADLINE_MS.nodeLiveness),
  ) {}

  async run(command: readonly string[]): Promise<CommandResult> {
    return (await this.open()).run(command, this.commandDeadlineMs);
  }

  /** Ends the stream: the agent finishes what runs and exits. */
  async close(): Promise<void> {
    const session = this.session;
    this.session = undefined;
    (await session?.catch(() => undefined))?.close();
  }

  /** Fails what is in flight at once: the node is known to be gone (its kernel was killed). */
  async abort(why: string): Promise<void> {
    const session = this.session;
    this.session = undefined;
    (await session?.catch(() => undefined))?.abort(why);
  }

  private open(): Promise<Session> {
    if (!this.session) {
      const opening: Promise<Session> = this.openStreams().then(
        (streams) =>
          new Session(streams, this.nodeName, this.livenessDeadlineMs, () => {
            if (this.session === opening) this.session = undefined;
          }),
      );
      this.session = opening;
      // A failed open is not kept: the next command tries again (the node may be starting).
      opening.catch(() => {
        if (this.session === opening) this.session = undefined;
      });
    }
    return this.session;
  }
}

/** An agent in a container, over one exec through the Docker API (stdout and stderr multiplexed). */
export function execChannel(container: Dockerode.Container, nodeName: string): CommandChannel {
  return new CommandChannel(async () => {
    const exec = await container.exec({
      Cmd: ["bash", "-c", COMMAND_AGENT],
      AttachStdin: true,
      AttachStdout: true,
      AttachStderr: true,
      Tty: false,
    });
    const stream = (await exec.start({ hijack: true, stdin: true })) as Duplex & {
      ref?: () => void;
      unref?: () => void;
    };
    const output = new PassThrough();
    const errors = new PassThrough();
    container.modem.demuxStream(stream, output, errors);
    stream.on("end", () => output.end());
    return {
      output,
      input: stream,
      errors,
      ref: () => stream.ref?.(),
      unref: () => stream.unref?.(),
      end: () => stream.end(),
    };
  }, nodeName);
}
