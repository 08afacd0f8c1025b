// Errors swarmnet raises carry their class name (reports show "UnknownNodeError: ..."),
// and one rule decides when "not found" is an answer rather than a failure.

/** Base class: `name` is the subclass's name, so every custom error sets it. */
export class SwarmnetError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/**
 * Docker's own words for a missing object, at the start of a line: "Error: No such
 * network: x", "Error response from daemon: network x not found", "no such service:
 * y". Nothing else: "sh: docker: not found" means the command never ran.
 */
const NOT_FOUND_TEXT =
  /^(?:Error(?: response from daemon)?: )?(?:no such (?:network|service|container|object|task|node|volume|image): \S|(?:network|service|node|task|container) \S+ not found$)/im;

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
