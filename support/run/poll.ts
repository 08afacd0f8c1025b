// Waiting is polling with a deadline; on timeout the error shows what was last seen.
// Holding is the converse: a condition sampled over a window must never fail.
import { setTimeout as sleep } from "node:timers/promises";
import { inspect } from "node:util";
import { config } from "./config.js";
import { SwarmnetError } from "./errors.js";
import { DEADLINE_MS, INTERVAL_MS } from "./limits.js";

export interface PollOptions {
  timeoutMs?: number;
  /** The first pause between samples; later pauses grow (see nextInterval). */
  intervalMs?: number;
}

export interface PollUntilOptions<T> extends PollOptions {
  /** What a timeout reports of the last value, if not all of it (a line a node beats a JSON dump). */
  describe?: (value: T) => unknown;
}

/** Pauses grow by this factor, up to POLL_INTERVAL_CAP_MS (or the first pause, if longer). */
const POLL_BACKOFF = 1.5;
const POLL_INTERVAL_CAP_MS = 1000;

/**
 * The pause after `current`. A change that comes at once is seen at once; a long
 * wait (gossip, placement) samples about once a second instead of four or five
 * times, as Playwright's expect.poll does (100, 250, 500, 1000 ms, then 1000). Each
 * sample is a docker command in a node, and frequent samples take CPU from the other
 * workers' real work (docs/decisions/workers.md).
 */
export function nextInterval(current: number, first: number): number {
  return Math.min(current * POLL_BACKOFF, Math.max(first, POLL_INTERVAL_CAP_MS));
}

export class PollTimeoutError extends SwarmnetError {
  constructor(
    readonly what: string,
    readonly timeoutMs: number,
    readonly lastSeen: unknown,
    readonly lastError?: unknown,
  ) {
    const seen = lastError === undefined ? inspect(lastSeen, { depth: 6 }) : String(lastError);
    super(`Timed out after ${timeoutMs / 1000}s waiting for ${what}.\nLast seen: ${seen}`);
  }
}

/** A step's "within N s": how long it may wait. */
export class Deadline {
  constructor(readonly seconds: number) {
    if (!Number.isFinite(seconds) || seconds <= 0)
      throw new RangeError(`A deadline must be a positive number of seconds, got ${seconds}`);
  }

  get ms(): number {
    return this.seconds * 1000;
  }

  toString(): string {
    return `within ${this.seconds} s`;
  }
}

/** Timeouts scale with SWARMNET_TIMEOUT_SCALE for slow machines. */
export function scaledTimeout(ms: number, scale = config().timeoutScale): number {
  return ms * scale;
}

/**
 * Calls `observe` until `accept` says yes or the deadline passes. Errors thrown by
 * `observe` count as "not yet" (the thing may still be starting) and are reported.
 */
export async function pollUntil<T>(
  what: string,
  observe: () => Promise<T>,
  accept: (value: T) => boolean,
  { timeoutMs = DEADLINE_MS.convergence, intervalMs = INTERVAL_MS.normal, describe }: PollUntilOptions<T> = {},
): Promise<T> {
  const limit = scaledTimeout(timeoutMs);
  const deadline = Date.now() + limit;
  let last: { value: T } | undefined;
  let lastError: unknown;
  let pause = intervalMs;
  for (;;) {
    try {
      const value = await observe();
      last = { value };
      lastError = undefined;
      if (accept(value)) return value;
    } catch (error) {
      lastError = error instanceof Error ? error.message : error;
    }
    const left = deadline - Date.now();
    if (left <= 0) {
      const lastSeen = last === undefined ? "(nothing observed yet)" : describe ? describe(last.value) : last.value;
      throw new PollTimeoutError(what, limit, lastSeen, lastError);
    }
    // The last sample falls on the deadline, not up to a pause before it.
    await sleep(Math.min(pause, left));
    pause = nextInterval(pause, intervalMs);
  }
}

/**
 * Retries an assertion until it passes or the deadline passes; then throws the last
 * assertion error, so the report shows expected and actual as last observed.
 */
export async function eventually(
  what: string,
  assertion: () => Promise<void>,
  options: PollOptions = {},
): Promise<void> {
  let failure: unknown;
  try {
    await pollUntil(
      what,
      async () => {
        try {
          await assertion();
          return true;
        } catch (error) {
          failure = error;
          return false;
        }
      },
      (passed) => passed,
      options,
    );
  } catch (error) {
    if (!(error instanceof PollTimeoutError) || failure === undefined) throw error;
    const detail = failure instanceof Error ? failure.message : String(failure);
    throw new SwarmnetError(`Still failing after ${error.timeoutMs / 1000}s of waiting for ${what}:\n${detail}`, {
      cause: failure,
    });
  }
}

export class NotHeldError extends SwarmnetError {}

export interface HoldOptions {
  /** How long the condition must hold (not scaled: it is what the scenario claims). */
  durationMs: number;
  intervalMs?: number;
}

/**
 * Samples an assertion from now until `durationMs` has passed; the first failing
 * sample fails, saying when. Returns how many samples held, at least two (the
 * first and one at the end of the window), so a claim "it stays" was looked at.
 */
export async function holds(
  what: string,
  assertion: () => Promise<void>,
  { durationMs, intervalMs = INTERVAL_MS.probe }: HoldOptions,
): Promise<number> {
  const start = Date.now();
  const end = start + durationMs;
  let samples = 0;
  for (;;) {
    const at = Date.now();
    try {
      await assertion();
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      throw new NotHeldError(
        `${what} held for ${((at - start) / 1000).toFixed(1)} s of ${durationMs / 1000} s, then:\n${detail}`,
        {
          cause: error,
        },
      );
    }
    samples++;
    if (at >= end) return samples;
    await sleep(Math.max(0, Math.min(intervalMs, end - Date.now())));
  }
}
