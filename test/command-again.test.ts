import { describe, it } from "node:test";
import { expect } from "expect";
import type { CommandResult } from "../support/cluster/swarm-node.js";
import { dockerAgainOn } from "../support/cluster/command-again.js";

/** A node whose docker CLI gives these results in turn (dockerOk: success), and records what it ran. */
function fakeNode(...results: CommandResult[]) {
  const ran: string[] = [];
  const docker = async (args: string[]) => {
    ran.push(args.join(" "));
    return results.shift() ?? { exitCode: 0, stdout: "", stderr: "" };
  };
  const dockerOk = async (args: string[]) => {
    ran.push(args.join(" "));
    return { exitCode: 0, stdout: "", stderr: "" };
  };
  return { ran, node: { name: "manager1", docker, dockerOk } };
}

const refused = { exitCode: 125, stdout: "", stderr: "Error: attaching to network failed: context deadline exceeded" };
const options = {
  refusal: "attaching to network failed",
  attempts: 3,
  what: "c could not attach",
  undo: ["rm", "-f", "c"],
};

describe("a docker command made again on a passing refusal", () => {
  it("undoes each refused attempt and runs the command again until it succeeds", async () => {
    const { ran, node } = fakeNode(refused, refused);
    await dockerAgainOn(node, ["run", "c"], options);
    expect(ran).toEqual(["run c", "rm -f c", "run c", "rm -f c", "run c"]);
  });

  it("fails at once, naming the node and command, on any other failure", async () => {
    const { ran, node } = fakeNode({ exitCode: 1, stdout: "", stderr: "no such image" });
    await expect(dockerAgainOn(node, ["run", "c"], options)).rejects.toThrow(/On manager1, `docker run c` exited 1/);
    expect(ran).toEqual(["run c"]);
  });

  it("gives up after the last attempt with the refusal it saw", async () => {
    const { ran, node } = fakeNode(refused, refused, refused);
    await expect(dockerAgainOn(node, ["run", "c"], options)).rejects.toThrow(/context deadline exceeded/);
    expect(ran.filter((c) => c === "run c")).toHaveLength(3);
  });
});
