// Paths into inspect JSON as scenarios write them: IPAM.Config[0].Subnet, and
// Options["com.docker.network.driver.overlay.vxlanid_list"] for keys with dots.

export function parsePath(path: string): (string | number)[] {
  const segments: (string | number)[] = [];
  const pattern = /\s*(?:\.?([A-Za-z_$][\w$-]*)|\[(\d+)\]|\[\s*"([^"]*)"\s*\]|\[\s*'([^']*)'\s*\])/y;
  let at = 0;
  while (at < path.length) {
    pattern.lastIndex = at;
    const match = pattern.exec(path);
    if (!match || match[0].length === 0) {
      throw new Error(
        `Cannot read the path "${path}" at position ${at}: write it like IPAM.Config[0].Subnet or Options["a.b"].`,
      );
    }
    if (match[1] !== undefined) segments.push(match[1]);
    else if (match[2] !== undefined) segments.push(Number(match[2]));
    else segments.push(match[3] ?? match[4]);
    at = pattern.lastIndex;
  }
  return segments;
}

export class MissingPathError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MissingPathError";
  }
}

/** The value at `path`, or a MissingPathError naming where the path stopped. */
export function valueAt(document: unknown, path: string): unknown {
  let current: unknown = document;
  const walked: string[] = [];
  for (const segment of parsePath(path)) {
    if (current === null || typeof current !== "object" || !(segment in current)) {
      const keys = current !== null && typeof current === "object" ? Object.keys(current).join(", ") : String(current);
      throw new MissingPathError(
        `"${path}": nothing at ${[...walked, String(segment)].join(".")} (available there: ${keys || "none"})`,
      );
    }
    current = (current as Record<string | number, unknown>)[segment];
    walked.push(String(segment));
  }
  return current;
}

/** How a JSON value is written in a scenario table: strings bare, others as JSON. */
export function asCell(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}
