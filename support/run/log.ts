// Progress lines for long work, on stderr so they never mix with report output.
import { performance } from "node:perf_hooks";

export function progress(message: string): void {
  process.stderr.write(`[swarmnet] ${message}\n`);
}

export function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
}

/** Runs `work`, saying what it is doing before and how long it took after. */
export async function timed<T>(what: string, work: () => Promise<T>): Promise<T> {
  const start = performance.now();
  progress(`${what}...`);
  try {
    const result = await work();
    progress(`${what}: done in ${formatSeconds(performance.now() - start)}`);
    return result;
  } catch (error) {
    progress(`${what}: FAILED after ${formatSeconds(performance.now() - start)}`);
    throw error;
  }
}
