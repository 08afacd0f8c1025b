// The node command agent, run by the local bash exactly as a node runs it (no Docker):
// what goes in as argv comes out as exit code and both streams, whatever the bytes.
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { describe, it } from "node:test";
import { expect } from "expect";
import { COMMAND_AGENT, commandLine, parseResultLine, type CommandResult } from "../support/text/command-agent.js";

/** Sends the commands to one agent at once and collects the results by id. */
async function throughAgent(commands: string[][]): Promise<CommandResult[]> {
  const agent = spawn("bash", ["-c", COMMAND_AGENT], { stdio: ["pipe", "pipe", "inherit"] });
  const results = new Map<number, CommandResult>();
  const lines = createInterface({ input: agent.stdout });
  lines.on("line", (line) => {
    const { id, result } = parseResultLine(line);
    results.set(id, result);
  });
  commands.forEach((command, i) => agent.stdin.write(commandLine(i + 1, command)));
  agent.stdin.end();
  await new Promise((resolve) => agent.on("close", resolve));
  return commands.map((_, i) => results.get(i + 1) as CommandResult);
}

describe("node command agent", () => {
  it("gives each command its own exit code and streams, arguments kept whole", async () => {
    const [quoted, failed, silent, multiline] = await throughAgent([
      ["printf", "%s|", "two words", "it's", "$HOME", "ünïcode"],
      ["sh", "-c", "echo out; echo err >&2; exit 3"],
      ["true"],
      ["sh", "-c", "printf 'a\\nb\\n\\n'"],
    ]);
    expect(quoted).toEqual({ exitCode: 0, stdout: "two words|it's|$HOME|ünïcode|", stderr: "" });
    expect(failed).toEqual({ exitCode: 3, stdout: "out\n", stderr: "err\n" });
    expect(silent).toEqual({ exitCode: 0, stdout: "", stderr: "" });
    expect(multiline.stdout).toBe("a\nb\n\n");
  });

  it("runs commands side by side and never interleaves their results", async () => {
    const big = ["sh", "-c", "head -c 200000 /dev/zero | tr '\\0' x"];
    const results = await throughAgent([["sleep", "0.3"], ...Array.from({ length: 20 }, () => big), ["echo", "last"]]);
    expect(results.slice(1, 21).every((r) => r.stdout.length === 200000 && /^x+$/.test(r.stdout))).toBe(true);
    expect(results[21].stdout).toBe("last\n");
  });

  it("reports a command that cannot be found as bash does (127), not as a broken channel", async () => {
    const [missing] = await throughAgent([["no-such-command-swarmnet"]]);
    expect(missing.exitCode).toBe(127);
    expect(missing.stderr).toContain("no-such-command-swarmnet");
  });

  it("rejects a line that is not a result", () => {
    expect(() => parseResultLine("bash: something went wrong")).toThrow(/Unexpected line/);
  });
});

describe("a command that gives no answer", () => {
  /** A channel to `worker2` whose agent answers only the commands `answers` picks. */
  async function channelTo(answers: (argv: string[]) => boolean) {
    const { PassThrough } = await import("node:stream");
    const { CommandChannel } = await import("../support/cluster/command-channel.js");
    const output = new PassThrough();
    const input = new PassThrough();
    createInterface({ input }).on("line", (line) => {
      const [id, payload] = line.split(" ");
      const argv = Buffer.from(payload, "base64").toString("utf8").split("\0").slice(0, -1);
      if (answers(argv)) output.write(`${id} 0  \n`);
    });
    return new CommandChannel(
      async () => ({ output, input, ref: () => {}, unref: () => {}, end: () => input.end() }),
      "worker2",
      100,
      100,
    );
  }

  it("fails after the channel's deadline, naming the command and the node, and says the node is stalled", async () => {
    const channel = await channelTo(() => false);
    await expect(channel.run(["docker", "swarm", "join"])).rejects.toThrow(
      "On worker2, `docker swarm join` gave no answer within 0.1 s (it may still run there); " +
        "`true` got no answer within 0.1 s either: the node or its channel is stalled.",
    );
    await channel.close();
  });

  it("says so when the node still answers, so that the command itself is stuck", async () => {
    const channel = await channelTo((argv) => argv[0] === "true");
    await expect(channel.run(["docker", "service", "ps", "web"])).rejects.toThrow(
      /^On worker2, `docker service ps web` gave no answer within 0.1 s \(it may still run there\); the node answered `true` in \d+\.\d s just after, so its channel works and that command itself is stuck\.$/,
    );
    await channel.close();
  });
});
