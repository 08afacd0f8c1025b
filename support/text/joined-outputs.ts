// Several commands' outputs from one command, a separator line between them: reads
// that go together cost one round trip to the node instead of several.

/** Printed between two commands' outputs (`a && echo SEPARATOR && b`). */
export const SEPARATOR = "--swarmnet--";

/** `commands` joined so that their outputs come back separated; stops at the first that fails. */
export function joinedCommands(commands: readonly string[]): string {
  return commands.join(` && echo ${SEPARATOR} && `);
}

/** The non-empty lines of each of `count` outputs printed with SEPARATOR between them. */
export function splitOutputs(stdout: string, count: number): string[][] {
  const parts = stdout.split(new RegExp(`^${SEPARATOR}$`, "m"));
  if (parts.length !== count) throw new Error(`Expected ${count} outputs, got ${parts.length}:\n${stdout}`);
  return parts.map((p) => p.split("\n").filter(Boolean));
}
