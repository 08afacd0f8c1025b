// A standalone container with a restart policy, on an attachable overlay, after its
// node's daemon restarts: does it run again with its address? An engine that brings
// it back only some of the time has a rate, measured here over several restarts. A
// container the daemon left stopped cannot attach again, by hand or at later restarts
// (20.10, 26.1), so each round starts from a running container: one left stopped is
// removed and made anew.
import type { StartedSwarmNode } from "../cluster/swarm-node.js";
import { INTERVAL_MS } from "../run/limits.js";
import { PollTimeoutError, pollUntil } from "../run/poll.js";

export interface RestartRound {
  round: number;
  /** How long after the daemon answered again the container ran on the network; absent if it did not. */
  ranAgainMs?: number;
  /** The container as last seen: its state and address on the network. */
  lastSeen: string;
  /** Whether it was removed and made anew after this round, for the next one. */
  madeAnew: boolean;
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
 * Restarts the node's daemon `rounds` times; after each, waits up to `waitMs` for the
 * container to run again, and where it does not, has `startAgain` make it anew.
 */
export async function restartRounds(
  node: StartedSwarmNode,
  container: string,
  network: string,
  { rounds, waitMs, startAgain }: { rounds: number; waitMs: number; startAgain: () => Promise<unknown> },
): Promise<RestartRound[]> {
  const seen: RestartRound[] = [];
  for (let round = 1; round <= rounds; round++) {
    await node.restartDaemon({ wipe: false });
    const started = Date.now();
    let lastSeen = "(not seen)";
    const runs = () =>
      pollUntil(
        `${container} on ${node.name} to run on ${network} again`,
        async () => (lastSeen = await stateOn(node, container, network)),
        (state) => RUNNING.test(state),
        { timeoutMs: waitMs, intervalMs: INTERVAL_MS.fast },
      );
    try {
      await runs();
      seen.push({ round, ranAgainMs: Date.now() - started, lastSeen, madeAnew: false });
    } catch (error) {
      if (!(error instanceof PollTimeoutError)) throw error;
      seen.push({ round, lastSeen, madeAnew: true });
      await startAgain();
      await runs();
    }
  }
  return seen;
}
