// A client that keeps requesting a name over HTTP while something happens to the
// swarm (a drain, an update), and counts what was answered and what failed.
import { setTimeout as sleep } from "node:timers/promises";
import { httpGetShell, parseHttpLine } from "./http.js";
import { STOP_FILE, startBackgroundProbe, type ProbeSource, type Target } from "./runner.js";

export interface HttpWatchResult {
  answered: number;
  failed: number;
}

export interface RunningHttpWatch {
  /** Lets the client go on for a fixed observation window (it measures; it is not a wait for readiness). */
  observeFor(ms: number): Promise<void>;
  /** Ends the client after its current request and counts its answers. */
  stop(): Promise<HttpWatchResult>;
}

/** Pause between the client's requests. */
const REQUEST_GAP_S = 0.2;

export function watchScript(target: Target): string {
  return [`while [ ! -e ${STOP_FILE} ]; do`, `  ${httpGetShell(target)}`, `  sleep ${REQUEST_GAP_S}`, "done"].join(
    "\n",
  );
}

export function countAnswers(log: string): HttpWatchResult {
  const results = log.split("\n").flatMap((line) => parseHttpLine(line) ?? []);
  return { answered: results.filter((r) => r.answered).length, failed: results.filter((r) => !r.answered).length };
}

export async function watchHttp(source: ProbeSource, target: Target): Promise<RunningHttpWatch> {
  const probe = await startBackgroundProbe(source, `swarmnet-watch-${Date.now()}`, watchScript(target));
  return {
    observeFor: (ms) => sleep(ms),
    stop: async () => countAnswers(await probe.stop()),
  };
}
