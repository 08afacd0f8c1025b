// Reads the column tables the docker CLI prints (`docker network ls`, `node ls`),
// where columns are separated by two or more spaces and cells may be empty.

export type TableRow = Record<string, string>;

/**
 * Column boundaries come from the header line: each heading starts a column, and a
 * cell is the text between its heading's start and the next heading's start.
 */
export function parseDockerTable(output: string): TableRow[] {
  const lines = output.split("\n").filter((l) => l.trim() !== "");
  if (lines.length === 0) return [];
  const header = lines[0];
  const starts: { name: string; at: number }[] = [];
  for (const match of header.matchAll(/\S+(?: \S+)*/g)) starts.push({ name: match[0], at: match.index ?? 0 });
  return lines.slice(1).map((line) => {
    const row: TableRow = {};
    starts.forEach(({ name, at }, i) => {
      const end = i + 1 < starts.length ? starts[i + 1].at : undefined;
      row[name] = line.slice(at, end).trim();
    });
    return row;
  });
}
