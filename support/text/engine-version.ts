// Engine versions as daemons report them ("20.10.24+dfsg1", "28.5.2+dfsg4"),
// compared by their numbers: 20.10.5 < 20.10.24 < 26.1.5.
export function versionNumbers(version: string): number[] {
  return (/^\d+(?:\.\d+)*/.exec(version)?.[0] ?? "").split(".").filter(Boolean).map(Number);
}

/** Negative when a is older than b, 0 when the numbers are equal, positive when newer. */
export function compareVersions(a: string, b: string): number {
  const [x, y] = [versionNumbers(a), versionNumbers(b)];
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const diff = (x[i] ?? 0) - (y[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}
