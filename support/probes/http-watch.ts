// A client that keeps requesting a name over HTTP while something happens to the
// swarm (a drain, an update, an upgrade), and counts what was answered and what
// failed, and the longest outage it saw.
import { setTimeout as sleep } from "node:timers/promises";
import type { StartedSwarmNode } from "../cluster/swarm-node.js";
import { pollUntil } from "../run/poll.js";
import { httpGetShell, parseHttpLine } from "./http.js";
import { STOP_FILE, startBackgroundProbe, type ProbeSource, type Target } from "./runner.js";

export interface HttpWatchResult {
  answered: number;
  failed: number;
  /** Longest time between two answered requests with failures between them (0 without failures). */
  longestOutageMs: number;
  /** Most failed requests in a row from one client (0 without failures): reported, as the outage's count. */
  longestFailureRun: number;
  /** Failed requests before the client's first answer (a client new on its node): reported. */
  failedBeforeFirstAnswer: number;
  /** When the longest outage began (the last answer before it, RFC 3339), to set beside what the swarm did then. */
  longestOutageFrom?: string;
  /** How many requests failed for each reason the probe gave: a name not resolved is not a backend not answering. */
  failureReasons: Record<string, number>;
}

/** What a watch promises: the bounds a scenario states from what it measured. */
export interface WatchBounds {
  /** The longest outage must be shorter than this. */
  outageUnderMs?: number;
  /** At most this share of all requests may fail, in percent. */
  maxFailedPercent?: number;
  /** Fewer answers than this per client and the clients did not watch long enough to prove anything. */
  minAnswersPerClient: number;
}

/** The share of requests that failed, in percent (of none: 100, since nothing was shown to work). */
export function failedPercent(seen: HttpWatchResult): number {
  const total = seen.answered + seen.failed;
  return total === 0 ? 100 : (100 * seen.failed) / total;
}

/** Each bound the clients broke, said with what they saw; empty when they kept every one. */
export function brokenBounds(seen: HttpWatchResult & { clients: number }, bounds: WatchBounds): string[] {
  const broken: string[] = [];
  if (seen.clients === 0) broken.push("no client watched");
  const wanted = bounds.minAnswersPerClient * seen.clients;
  if (seen.answered < wanted)
    broken.push(
      `${seen.answered} answers from ${seen.clients} client(s), fewer than the ${wanted} needed to prove anything`,
    );
  if (bounds.outageUnderMs !== undefined && seen.longestOutageMs >= bounds.outageUnderMs)
    broken.push(`longest outage ${seen.longestOutageMs / 1000} s, not under ${bounds.outageUnderMs / 1000} s`);
  const percent = failedPercent(seen);
  if (bounds.maxFailedPercent !== undefined && percent > bounds.maxFailedPercent)
    broken.push(
      `${seen.failed} of ${seen.answered + seen.failed} requests failed (${percent.toFixed(1)} %), more than ${bounds.maxFailedPercent} %`,
    );
  return broken;
}

export interface RunningHttpWatch {
  /** Lets the client go on for a fixed observation window (it measures; it is not a wait for readiness). */
  observeFor(ms: number): Promise<void>;
  /** Ends the client after its current request and counts its answers. */
  stop(): Promise<HttpWatchResult>;
}

/** Pause between the client's requests. */
const REQUEST_GAP_S = 0.2;

/** The client's last line when it ended because it was asked to (its absence: it was ended from outside). */
export const STOPPED_LINE = "swarmnet-stopped";

export function watchScript(target: Target): string {
  return [
    `while [ ! -e ${STOP_FILE} ]; do`,
    `  ${httpGetShell(target)}`,
    `  sleep ${REQUEST_GAP_S}`,
    "done",
    `echo ${STOPPED_LINE}`,
  ].join("\n");
}

/** Reads the client's log, each line "<RFC 3339 time> ok ..." or "<time> fail" (`docker logs --timestamps`). */
export function countAnswers(log: string): HttpWatchResult {
  const result: HttpWatchResult = {
    answered: 0,
    failed: 0,
    longestOutageMs: 0,
    longestFailureRun: 0,
    failedBeforeFirstAnswer: 0,
    failureReasons: {},
  };
  let lastAnswerAt: { ms: number; text: string } | undefined;
  let failingSince: { ms: number; text: string } | undefined;
  const noteOutage = (until: number) => {
    if (failingSince === undefined || until - failingSince.ms < result.longestOutageMs) return;
    result.longestOutageMs = until - failingSince.ms;
    result.longestOutageFrom = failingSince.text;
  };
  let run = 0;
  for (const line of log.split("\n")) {
    const match = /^(\S+) (.*)$/.exec(line.trim());
    const parsed = match && parseHttpLine(match[2]);
    if (!match || !parsed) continue;
    const at = { ms: Date.parse(match[1]), text: match[1] };
    if (parsed.answered) {
      result.answered += 1;
      noteOutage(at.ms);
      failingSince = undefined;
      lastAnswerAt = at;
      run = 0;
    } else {
      result.failed += 1;
      const reason = parsed.reason ?? "no reason given";
      result.failureReasons[reason] = (result.failureReasons[reason] ?? 0) + 1;
      if (result.answered === 0) result.failedBeforeFirstAnswer += 1;
      run += 1;
      result.longestFailureRun = Math.max(result.longestFailureRun, run);
      failingSince ??= lastAnswerAt ?? at;
      // A log that ends while failing: the outage lasted at least until now.
      noteOutage(at.ms);
    }
  }
  return result;
}

export function mergeWatchResults(results: HttpWatchResult[]): HttpWatchResult {
  const longest = results.reduce<HttpWatchResult | undefined>(
    (best, r) => (best === undefined || r.longestOutageMs > best.longestOutageMs ? r : best),
    undefined,
  );
  const failureReasons: Record<string, number> = {};
  for (const r of results)
    for (const [reason, count] of Object.entries(r.failureReasons))
      failureReasons[reason] = (failureReasons[reason] ?? 0) + count;
  return {
    answered: results.reduce((sum, r) => sum + r.answered, 0),
    failed: results.reduce((sum, r) => sum + r.failed, 0),
    longestOutageMs: longest?.longestOutageMs ?? 0,
    longestFailureRun: Math.max(0, ...results.map((r) => r.longestFailureRun)),
    failedBeforeFirstAnswer: results.reduce((sum, r) => sum + r.failedBeforeFirstAnswer, 0),
    ...(longest?.longestOutageFrom && { longestOutageFrom: longest.longestOutageFrom }),
    failureReasons,
  };
}

/** "3× no answer, 1× nc: bad address 'my-web'", most frequent first. */
export function describeFailureReasons(reasons: Record<string, number>): string {
  return Object.entries(reasons)
    .sort(([, a], [, b]) => b - a)
    .map(([reason, count]) => `${count}× ${reason}`)
    .join(", ");
}

/** One client's counts, a line, for the report. */
export function describeClient(label: string, r: HttpWatchResult): string {
  return (
    `${label}: ${r.answered} answered, ${r.failed} failed (${r.failedBeforeFirstAnswer} before its first answer, ` +
    `at most ${r.longestFailureRun} in a row), longest outage ${r.longestOutageMs / 1000} s` +
    (r.longestOutageFrom ? ` from ${r.longestOutageFrom}` : "") +
    (r.failed > 0 ? `; failures: ${describeFailureReasons(r.failureReasons)}` : "")
  );
}

export async function watchHttp(source: ProbeSource, target: Target): Promise<RunningHttpWatch> {
  const probe = await startBackgroundProbe(source, `swarmnet-watch-${Date.now()}`, watchScript(target));
  return {
    observeFor: (ms) => sleep(ms),
    stop: async () => countAnswers(await probe.stop()),
  };
}

const lastLine = (text: string) => text.trim().split("\n").slice(-1)[0];

/**
 * One client per node, for changes that take nodes down one at a time: a node's
 * client is stopped (and counted) before its node goes down and started again when
 * it is back, so that clients elsewhere watch every moment.
 */
export class HttpWatchFleet {
  private readonly running = new Map<string, { label: string; watch: RunningHttpWatch }>();
  /** Each stopped client's counts, in the order they stopped. */
  readonly finished: { label: string; result: HttpWatchResult }[] = [];
  private started = 0;
  /** Client starts that failed and were tried again, with why (see startOn). */
  readonly retried: string[] = [];

  constructor(
    private readonly sourceOn: (node: StartedSwarmNode) => ProbeSource,
    private readonly target: Target,
  ) {}

  /**
   * Tried again until it starts: on a node just back from a restart with no task on
   * the attachable network, Docker may still be removing the network's leftover
   * endpoint when the client attaches, and refuses it ("network <id> not found").
   */
  async startOn(node: StartedSwarmNode): Promise<void> {
    const source = this.sourceOn(node);
    const watch = await pollUntil(
      `a client to start on ${node.name}`,
      async () => {
        try {
          return await watchHttp(source, this.target);
        } catch (error) {
          this.retried.push(`${node.name}: ${lastLine(String(error))}`);
          throw error;
        }
      },
      () => true,
    );
    this.started += 1;
    this.running.set(node.name, { label: `${source.label}, client ${this.started}`, watch });
  }

  async stopOn(node: StartedSwarmNode): Promise<void> {
    const client = this.running.get(node.name);
    this.running.delete(node.name);
    if (client) this.finished.push({ label: client.label, result: await client.watch.stop() });
  }

  /** Stops every client still running; the counts of all clients, and how many there were. */
  async stopAll(): Promise<HttpWatchResult & { clients: number }> {
    const still = [...this.running.values()];
    this.running.clear();
    this.finished.push(
      ...(await Promise.all(still.map(async ({ label, watch }) => ({ label, result: await watch.stop() })))),
    );
    return { ...mergeWatchResults(this.finished.map((f) => f.result)), clients: this.started };
  }
}
