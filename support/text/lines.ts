// Text as the lines a person would compare: trimmed, blank lines dropped.

export function meaningfulLines(text: string): string[] {
  return text
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);
}

/** Per file, the wanted lines it lacks, beside the lines it has (so a diff shows both). */
export function missingLines(
  files: Record<string, string>,
  wanted: readonly string[],
): Record<string, { missing: string[]; lines: string[] }> {
  return Object.fromEntries(
    Object.entries(files).map(([name, text]) => {
      const lines = meaningfulLines(text);
      return [name, { missing: wanted.filter((w) => !lines.includes(w)), lines }];
    }),
  );
}
