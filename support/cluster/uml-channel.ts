// A UML node's command channel: the node dials this process over its point-to-point
// link (nothing listens in the node), says `swarmnet-agent <name> <boot id>`, and its
// agent then runs commands from the connection. Listening on the link's address
// means only the node at the other end (and this machine) can connect.
import { createServer, type Server, type Socket } from "node:net";
import { SwarmnetError } from "../run/errors.js";
import { CommandChannel, type AgentStreams } from "./command-channel.js";

export class AgentListenerError extends SwarmnetError {}

/** The first line an agent says. */
export function helloLine(name: string, boot: string): string {
  return `swarmnet-agent ${name} ${boot}`;
}

interface Waiter {
  resolve: (socket: Socket) => void;
  reject: (error: Error) => void;
}

export class AgentListener {
  private readonly waiting: Waiter[] = [];
  private ready?: Socket;
  /** The boot whose agent is wanted; connections of earlier boots are dropped. */
  boot = "";
  private closed?: Error;

  private constructor(
    private readonly server: Server,
    readonly host: string,
    readonly port: number,
    private readonly nodeName: string,
  ) {
    server.on("connection", (socket) => this.greet(socket));
    server.unref();
  }

  /** Listens on `host` (port 0: any free one; a kept node's: where its agent still dials). */
  static async open(host: string, nodeName: string, port = 0): Promise<AgentListener> {
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, host, () => resolve());
    });
    const address = server.address();
    if (!address || typeof address === "string") throw new AgentListenerError(`No port for ${nodeName}'s agent.`);
    return new AgentListener(server, host, address.port, nodeName);
  }

  /** What the node's init is told: where to dial. */
  get address(): string {
    return `${this.host}:${this.port}`;
  }

  /** The next agent connection of the current boot, within `ms`. */
  take(ms: number): Promise<Socket> {
    if (this.closed) return Promise.reject(this.closed);
    const ready = this.ready;
    this.ready = undefined;
    if (ready && !ready.destroyed) return Promise.resolve(ready);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        resolve: (socket) => {
          clearTimeout(timer);
          resolve(socket);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      const timer = setTimeout(() => {
        this.waiting.splice(this.waiting.indexOf(waiter), 1);
        reject(new AgentListenerError(`${this.nodeName}'s command agent did not connect within ${ms / 1000} s.`));
      }, ms);
      this.waiting.push(waiter);
    });
  }

  /** A command channel whose every opening takes the next connection (after a reboot, the new boot's). */
  channel(openWithinMs: number): CommandChannel {
    return new CommandChannel(async () => socketStreams(await this.take(openWithinMs)), this.nodeName);
  }

  close(): void {
    this.closed = new AgentListenerError(`${this.nodeName} is gone: its command channel is closed.`);
    for (const waiter of this.waiting.splice(0)) waiter.reject(this.closed);
    this.ready?.destroy();
    this.server.close();
  }

  private greet(socket: Socket): void {
    let buffered = "";
    const onData = (chunk: Buffer) => {
      buffered += chunk.toString("utf8");
      const newline = buffered.indexOf("\n");
      if (newline < 0) {
        if (buffered.length > 200) socket.destroy();
        return;
      }
      socket.off("data", onData);
      socket.pause();
      if (buffered.slice(0, newline) !== helloLine(this.nodeName, this.boot)) {
        socket.destroy();
        return;
      }
      const rest = buffered.slice(newline + 1);
      if (rest) socket.unshift(Buffer.from(rest, "utf8"));
      const waiter = this.waiting.shift();
      if (waiter) waiter.resolve(socket);
      else {
        this.ready?.destroy();
        this.ready = socket;
      }
    };
    socket.on("data", onData);
    socket.on("error", () => socket.destroy());
  }
}

function socketStreams(socket: Socket): AgentStreams {
  socket.setNoDelay(true);
  return {
    output: socket,
    input: socket,
    ref: () => socket.ref(),
    unref: () => socket.unref(),
    end: () => socket.end(),
  };
}
