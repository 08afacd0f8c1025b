// A standalone container with a restart policy, on an attachable overlay, after its
// node's daemon restarts: does it run again with its address? Some engines bring it
// back only some of the time, and once one has not, neither later restarts nor a new
// container get an attachment to that network on that node (20.10, 26.1). So the
// measure is how many restarts in a row it came back after; the rounds stop at the
// first it did not.
import type { StartedSwarmNode } from "../cluster/swarm-node.js";
import { INTERVAL_MS } from "../run/limits.js";
import { PollTimeoutError, pollUntil } from "../run/poll.js";

export interface RestartRound {
  round: number;
  /** How long after the daemon answered again the container ran on the network; absent if it did not. */
  ranAgainMs?: number;
  /** The container as last seen: its state and address on the network. */
  lastSeen: string;
}

const RUNNING = /^running, address \d/;

async function stateOn(node: StartedSwarmNode, container: string, network: string): Promise<string> {
  const format = `{{.State.Status}}, address {{with index .NetworkSettings.Networks "${network}"}}{{.IPAddress}}{{end}}`;
  const result = await node.docker(["inspect", "--format", format, container]);
  if (result.exitCode !== 0) return `not inspectable: ${result.stderr.trim()}`;
  const seen = result.stdout.trim();
  return seen.endsWith("address") ? `${seen} none on ${network}` : seen;
}

/**
 * Restarts the node's daemon up to `rounds` times; after each, waits up to `waitMs`
 * for the container to run on `network` again, and stops at the first time it does not.
 */
export async function restartRounds(
  node: StartedSwarmNode,
  container: string,
  network: string,
  { rounds, waitMs }: { rounds: number; waitMs: number },
): Promise<RestartRound[]> {
  const seen: RestartRound[] = [];
  for (let round = 1; round <= rounds; round++) {
    await node.restartDaemon({ wipe: false });
    const started = Date.now();
    let lastSeen = "(not seen)";
    try {
      await pollUntil(
        `${container} on ${node.name} to run on ${network} again`,
        async () => (lastSeen = await stateOn(node, container, network)),
        (state) => RUNNING.test(state),
        { timeoutMs: waitMs, intervalMs: INTERVAL_MS.fast },
      );
      seen.push({ round, ranAgainMs: Date.now() - started, lastSeen });
    } catch (error) {
      if (!(error instanceof PollTimeoutError)) throw error;
      seen.push({ round, lastSeen });
      break;
    }
  }
  return seen;
}
