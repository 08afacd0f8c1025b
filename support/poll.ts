// Waiting is polling with a deadline; on timeout the error shows what was last seen.
import { setTimeout as sleep } from "node:timers/promises";
import { inspect } from "node:util";

export interface PollOptions {
  timeoutMs?: number;
  intervalMs?: number;
}

export class PollTimeoutError extends Error {
  constructor(
    readonly what: string,
    readonly timeoutMs: number,
    readonly lastSeen: unknown,
    readonly lastError?: unknown,
  ) {
    const seen = lastError === undefined ? inspect(lastSeen, { depth: 6 }) : String(lastError);
    super(`Timed out after ${timeoutMs / 1000}s waiting for ${what}.\nLast seen: ${seen}`);
    this.name = "PollTimeoutError";
  }
}

/** Timeouts scale with SWARMNET_TIMEOUT_SCALE for slow machines. */
export function scaledTimeout(ms: number): number {
  const scale = Number(process.env.SWARMNET_TIMEOUT_SCALE ?? "1");
  return Number.isFinite(scale) && scale > 0 ? ms * scale : ms;
}

/**
 * Calls `observe` until `accept` says yes or the deadline passes. Errors thrown by
 * `observe` count as "not yet" (the thing may still be starting) and are reported.
 */
export async function pollUntil<T>(
  what: string,
  observe: () => Promise<T>,
  accept: (value: T) => boolean,
  { timeoutMs = 30_000, intervalMs = 250 }: PollOptions = {},
): Promise<T> {
  const limit = scaledTimeout(timeoutMs);
  const deadline = Date.now() + limit;
  let lastSeen: unknown = "(nothing observed yet)";
  let lastError: unknown;
  for (;;) {
    try {
      const value = await observe();
      lastSeen = value;
      lastError = undefined;
      if (accept(value)) return value;
    } catch (error) {
      lastError = error instanceof Error ? error.message : error;
    }
    if (Date.now() >= deadline) throw new PollTimeoutError(what, limit, lastSeen, lastError);
    await sleep(intervalMs);
  }
}

/**
 * Retries an assertion until it passes or the deadline passes; then throws the last
 * assertion error, so the report shows expected and actual as last observed.
 */
export async function eventually(what: string, assertion: () => Promise<void>, options: PollOptions = {}): Promise<void> {
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
    throw new Error(`Still failing after ${error.timeoutMs / 1000}s of waiting for ${what}:\n${detail}`, { cause: failure });
  }
}
