// Words a scenario may use for a closed set of values, with an error that lists
// the valid ones when a word is misspelt.

export class UnknownWordError extends Error {
  constructor(kind: string, word: string, valid: readonly string[]) {
    super(`Unknown ${kind} "${word}": expected one of ${valid.map((v) => `"${v}"`).join(", ")}.`);
    this.name = "UnknownWordError";
  }
}

/** The value `words` maps `word` to, or an error listing the words. */
export function chooseWord<T>(kind: string, word: string, words: Readonly<Record<string, T>>): T {
  if (Object.hasOwn(words, word)) return words[word];
  throw new UnknownWordError(kind, word, Object.keys(words));
}
