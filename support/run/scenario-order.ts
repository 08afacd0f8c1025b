// In which order scenarios start. Cucumber hands scenarios to its workers in file
// order, so the upgrades (features/upgrade/, last alphabetically) and the steps that
// wait on real time would start last and end the run with one worker busy and the
// others idle. Started first, they run beside the many short scenarios, which then
// fill every worker to the end.

import { LONG_TAG } from "./tags.js";

export interface TaggedPickle {
  readonly pickle: { readonly tags: readonly { readonly name: string }[] };
}

/** The `@long` scenarios first, each group in the order it came in. */
export function longestFirst<P extends TaggedPickle>(pickles: readonly P[]): P[] {
  const isLong = (p: P) => p.pickle.tags.some((t) => t.name === LONG_TAG);
  return [...pickles.filter(isLong), ...pickles.filter((p) => !isLong(p))];
}
