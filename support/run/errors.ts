// Errors swarmnet raises carry their class name (reports show "UnknownNodeError: ..."),
// and one rule decides when "not found" is an answer rather than a failure.

/** Base class: `name` is the subclass's name, so every custom error sets it. */
export class SwarmnetError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Docker's CLI says "No such network: x", "network x not found", "no such service: y". */
const NOT_FOUND_TEXT = /no such [a-z]+|not found/i;

/** Whether a CLI error output means the object does not exist (and only that). */
export function saysNotFound(output: string): boolean {
  return NOT_FOUND_TEXT.test(output);
}

/**
 * For `.catch(ignoreNotFound)` on dockerode calls: a 404 (gone already) is fine;
 * anything else is rethrown. `alsoConflict` accepts 409 too (removal in progress).
 */
export function ignoreNotFound(error: unknown, { alsoConflict = false } = {}): undefined {
  const status = (error as { statusCode?: number } | null)?.statusCode;
  if (status === 404 || (alsoConflict && status === 409)) return undefined;
  throw error;
}
