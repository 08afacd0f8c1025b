// A client that keeps requesting a name over HTTP while something happens to the
// swarm (a drain, an update, an upgrade), and counts what was answered and what
// failed, and the longest outage it saw.
import { setTimeout as sleep } from "node:timers/promises";
import { httpGetShell, parseHttpLine } from "./http.js";
import { STOP_FILE, startBackgroundProbe, type ProbeSource, type Target } from "./runner.js";

export interface HttpWatchResult {
  answered: number;
  failed: number;
  /** Longest time between two answered requests with failures between them (0 without failures). */
  longestOutageMs: number;
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

/** Reads the client's log, each line "<RFC 3339 time> ok ..." or "<time> fail" (`docker logs --timestamps`). */
export function countAnswers(log: string): HttpWatchResult {
  const result: HttpWatchResult = { answered: 0, failed: 0, longestOutageMs: 0 };
  let lastAnswerAt: number | undefined;
  let failingSince: number | undefined;
  for (const line of log.split("\n")) {
    const match = /^(\S+) (.*)$/.exec(line.trim());
    const parsed = match && parseHttpLine(match[2]);
    if (!match || !parsed) continue;
    const at = Date.parse(match[1]);
    if (parsed.answered) {
      result.answered += 1;
      if (failingSince !== undefined) result.longestOutageMs = Math.max(result.longestOutageMs, at - failingSince);
      failingSince = undefined;
      lastAnswerAt = at;
    } else {
      result.failed += 1;
      failingSince ??= lastAnswerAt ?? at;
      // A log that ends while failing: the outage lasted at least until now.
      result.longestOutageMs = Math.max(result.longestOutageMs, at - failingSince);
    }
  }
  return result;
}

export async function watchHttp(source: ProbeSource, target: Target): Promise<RunningHttpWatch> {
  const probe = await startBackgroundProbe(source, `swarmnet-watch-${Date.now()}`, watchScript(target));
  return {
    observeFor: (ms) => sleep(ms),
    stop: async () => countAnswers(await probe.stop()),
  };
}
