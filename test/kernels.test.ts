import { describe, it } from "node:test";
import { expect } from "expect";
import { findKernel, loadKernelTable, parseKernelTable } from "../support/run/kernels.js";
import { helloLine } from "../support/cluster/uml-channel.js";

describe("the kernel table", () => {
  it("finds a line by its name or a full version, the longest name first", () => {
    const table = parseKernelTable({
      default: "6.1",
      kernels: { "6.1": { suite: "bookworm" }, "6.12": { suite: "trixie" } },
    });
    expect(findKernel(table, "6.1").suite).toBe("bookworm");
    expect(findKernel(table, "6.12.113").name).toBe("6.12");
    expect(findKernel(table, "6.1.176").name).toBe("6.1");
  });

  it("names the known lines for an unknown one", () => {
    expect(() => findKernel(loadKernelTable(), "5.10")).toThrow(/Unknown kernel "5.10". Known kernels: 6.1, 6.12, 7.2/);
  });

  it("says which entry is malformed", () => {
    expect(() => parseKernelTable({ default: "6.1", kernels: { "6.1": {} } }, "k.json")).toThrow(
      'k.json: kernel "6.1" needs a "suite" string',
    );
    expect(() => parseKernelTable({ default: "9", kernels: { "6.1": { suite: "bookworm" } } }, "k.json")).toThrow(
      '"default" must name one of: 6.1',
    );
  });
});

describe("a UML node's command agent", () => {
  it("says its node and boot first, as fixtures/kernels/uml/node-init.sh writes it", async () => {
    const { readFile } = await import("node:fs/promises");
    const init = await readFile(new URL("../fixtures/kernels/uml/node-init.sh", import.meta.url), "utf8");
    expect(init).toContain('echo "swarmnet-agent $swarmnet_name $swarmnet_boot"');
    expect(helloLine("worker1", "ab12")).toBe("swarmnet-agent worker1 ab12");
  });
});

describe("a UML node's command channel", () => {
  it("takes the connection that says the current boot, drops others, and runs commands on it", async () => {
    const { connect } = await import("node:net");
    const { spawn } = await import("node:child_process");
    const { AgentListener } = await import("../support/cluster/uml-channel.js");
    const { COMMAND_AGENT } = await import("../support/text/command-agent.js");
    const listener = await AgentListener.open("127.0.0.1", "worker1");
    listener.boot = "b2";
    // An agent of an earlier boot: dropped.
    const stale = connect(listener.port, "127.0.0.1", () => stale.write(`${helloLine("worker1", "b1")}\n`));
    const staleClosed = new Promise((resolve) => stale.on("close", resolve));
    // The current boot's agent: a local bash running the agent on the connection.
    const agent = connect(listener.port, "127.0.0.1", () => agent.write(`${helloLine("worker1", "b2")}\n`));
    const bash = spawn("bash", ["-c", COMMAND_AGENT], { stdio: ["pipe", "pipe", "inherit"] });
    agent.pipe(bash.stdin);
    bash.stdout.pipe(agent);
    const channel = listener.channel(5000);
    try {
      await staleClosed;
      expect(await channel.run(["sh", "-c", "echo hello; exit 3"])).toEqual({
        exitCode: 3,
        stdout: "hello\n",
        stderr: "",
      });
    } finally {
      await channel.close();
      listener.close();
      bash.kill();
      agent.destroy();
    }
  });
});
