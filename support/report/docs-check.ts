// What keeps the README a front page: short, no figures or run tables, and every page
// it links exists. `npm run lint` runs it (scripts/check-docs.ts).

/** At most this many lines: what it is, the two commands, the command table, links. */
export const README_MAX_LINES = 150;

/** Problems with a README's text; `exists` says whether a linked path is there. */
export function readmeProblems(text: string, exists: (path: string) => boolean): string[] {
  const problems: string[] = [];
  const lines = text.split("\n");
  if (lines.length > README_MAX_LINES)
    problems.push(`README.md has ${lines.length} lines, more than ${README_MAX_LINES}: move a topic to docs/`);
  lines.forEach((line, i) => {
    if (/\bmeasured\b/i.test(line))
      problems.push(`README.md:${i + 1}: says "measured": figures live in docs/performance.md`);
    if (/^\|\s*(run|date|commit)\s*\|/i.test(line))
      problems.push(`README.md:${i + 1}: a table of runs: run results are data in docs/runs.jsonl`);
    if (/\b\d+(\.\d+)?\s?(s|min|ms)\b|\b\d+ min \d+ s\b/.test(line.replace(/`[^`]*`/g, "")))
      problems.push(`README.md:${i + 1}: a figure (${line.trim().slice(0, 60)}): figures live in docs/performance.md`);
  });
  for (const [, target] of text.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)) {
    if (/^[a-z]+:/.test(target)) continue;
    if (!exists(target)) problems.push(`README.md links ${target}, which does not exist`);
  }
  return problems;
}
