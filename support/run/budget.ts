// A run's time budget (SWARMNET_BUDGET): past it no new scenario starts; the rest are
// reported as not run, and the run still writes every report and fails. CI's own
// limit kills a run outright and loses them; set the budget under it by the longest
// scenario's time (docs/configuration.md).
import { SwarmnetError } from "./errors.js";

export class BudgetError extends SwarmnetError {}

/** What a scenario skipped for the budget says; the summary counts these as not run. */
export const NOT_RUN = "not run: the run's time budget was spent";

/** "80m", "1h30m", "90s", "2h" in milliseconds. */
export function parseDuration(text: string): number {
  const match = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(text.trim());
  if (!match || text.trim() === "")
    throw new BudgetError(`"${text}" is not a duration: write it like 80m, 1h30m or 90s.`);
  const [hours, minutes, seconds] = match.slice(1).map((n) => Number(n ?? 0));
  const ms = ((hours * 60 + minutes) * 60 + seconds) * 1000;
  if (ms === 0) throw new BudgetError(`"${text}" is no time at all: give the budget a length.`);
  return ms;
}

/** Why a scenario starting `now` does not run, or undefined while the budget lasts. */
export function overBudget(endsAt: number | undefined, now = Date.now()): string | undefined {
  if (endsAt === undefined || now < endsAt) return undefined;
  return `${NOT_RUN} (SWARMNET_BUDGET; it ended at ${new Date(endsAt).toISOString()})`;
}
