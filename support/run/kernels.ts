// The kernel lines UML nodes can boot, read from fixtures/kernels.json: each is the
// user-mode-linux package of a Debian suite (a new line is one entry there).
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { SwarmnetError } from "./errors.js";

export interface KernelLine {
  /** Short name used in settings and steps, e.g. "6.12". */
  name: string;
  /** Debian suite whose user-mode-linux package is this kernel. */
  suite: string;
}

export interface KernelTable {
  defaultKernel: string;
  kernels: KernelLine[];
}

export const KERNELS_FILE = fileURLToPath(new URL("../../fixtures/kernels.json", import.meta.url));

export class KernelTableError extends SwarmnetError {}

export function parseKernelTable(json: unknown, source = KERNELS_FILE): KernelTable {
  const fail = (why: string): never => {
    throw new KernelTableError(`${source}: ${why}`);
  };
  if (typeof json !== "object" || json === null) fail("expected a JSON object");
  const { default: defaultKernel, kernels } = json as Record<string, unknown>;
  if (typeof kernels !== "object" || kernels === null) fail('missing "kernels" object');
  const lines = Object.entries(kernels as Record<string, unknown>).map(([name, raw]) => {
    const suite = ((raw ?? {}) as Record<string, unknown>).suite;
    if (typeof suite !== "string" || suite === "") fail(`kernel "${name}" needs a "suite" string`);
    return { name, suite: suite as string };
  });
  if (lines.length === 0) fail("no kernels listed");
  if (typeof defaultKernel !== "string" || !lines.some((l) => l.name === defaultKernel)) {
    fail(`"default" must name one of: ${lines.map((l) => l.name).join(", ")}`);
  }
  return { defaultKernel: defaultKernel as string, kernels: lines };
}

export function loadKernelTable(): KernelTable {
  return parseKernelTable(JSON.parse(readFileSync(KERNELS_FILE, "utf8")));
}

/** A kernel line by its name ("6.12") or a full version ("6.12.113"). */
export function findKernel(table: KernelTable, wanted: string): KernelLine {
  const found = table.kernels
    .filter((k) => wanted === k.name || wanted.startsWith(`${k.name}.`))
    .sort((a, b) => b.name.length - a.name.length)[0];
  if (!found) {
    throw new KernelTableError(
      `Unknown kernel "${wanted}". Known kernels: ${table.kernels.map((k) => k.name).join(", ")} (see ${KERNELS_FILE}).`,
    );
  }
  return found;
}
