// A node's docker command made again when Docker refuses it for a passing reason
// (a conflict, its own deadline on a starved node), logged; any other failure fails.
import { progress } from "../run/log.js";
import { NodeCommandError, type StartedSwarmNode } from "./swarm-node.js";

export interface AgainOptions {
  /** What in stderr says the refusal is a passing one. */
  refusal: string;
  attempts: number;
  /** Logged with the attempt number when the command is made again. */
  what: string;
  /** What removes a refused attempt's traces first. */
  undo?: string[];
}

/** Runs the node's docker CLI until it succeeds; made again only on the passing refusal. */
export async function dockerAgainOn(
  node: Pick<StartedSwarmNode, "name" | "docker" | "dockerOk">,
  args: string[],
  options: AgainOptions,
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const result = await node.docker(args);
    if (result.exitCode === 0) return;
    if (!result.stderr.includes(options.refusal) || attempt === options.attempts)
      throw new NodeCommandError(node.name, ["docker", ...args], result);
    progress(`${options.what} (attempt ${attempt}), made again`);
    if (options.undo) await node.dockerOk(options.undo);
  }
}
