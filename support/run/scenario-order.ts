// In which order scenarios start. Cucumber hands scenarios to its workers in file
// order, so the upgrades (features/upgrade/, last alphabetically) and the steps that
// wait on real time would start last and end the run with one worker busy and the
// others idle. Started first, they run beside the many short scenarios, which then
// fill every worker to the end. Scenarios tagged @alone start last: they run with
// nothing beside them (parallel-rules.ts), so others must not wait for them.

import { ALONE_TAG, LONG_TAG } from "./tags.js";

export interface TaggedPickle {
  readonly pickle: { readonly tags: readonly { readonly name: string }[] };
}

/** The `@long` scenarios first and the `@alone` ones last, each group in the order it came in. */
export function longestFirst<P extends TaggedPickle>(pickles: readonly P[]): P[] {
  const has = (tag: string) => (p: P) => p.pickle.tags.some((t) => t.name === tag);
  const [isLong, isAlone] = [has(LONG_TAG), has(ALONE_TAG)];
  const rest = pickles.filter((p) => !isAlone(p));
  return [...rest.filter(isLong), ...rest.filter((p) => !isLong(p)), ...pickles.filter(isAlone)];
}
