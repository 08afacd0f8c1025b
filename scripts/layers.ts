// The layers of support/, lowest first. A module may import from its own layer and
// the layers below it, never above; support/ knows nothing of Gherkin (no steps/,
// no @cucumber/cucumber); text/ is pure (no I/O, no packages). Checked by a unit test.
import { readdir, readFile } from "node:fs/promises";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

export const LAYERS = ["text", "run", "host", "cluster", "probes", "swarm"] as const;

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const SUPPORT = join(ROOT, "support");

export interface ModuleImports {
  /** Path relative to support/, e.g. "cluster/swarm-node.ts". */
  file: string;
  imports: string[];
}

/** The layer a path under support/ belongs to, or undefined if it is in none. */
export function layerOf(pathInSupport: string): string | undefined {
  const top = pathInSupport.split(/[\\/]/)[0];
  return (LAYERS as readonly string[]).includes(top) ? top : undefined;
}

/** Module specifiers of static and dynamic imports and re-exports. */
export function importSpecifiers(source: string): string[] {
  const found = [...source.matchAll(/(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+"([^"]+)"|import\(\s*"([^"]+)"\s*\)/g)];
  return found.map((m) => m[1] ?? m[2]);
}

export function layeringViolations(modules: ModuleImports[]): string[] {
  const problems: string[] = [];
  for (const { file, imports } of modules) {
    const layer = layerOf(file);
    if (!layer) {
      problems.push(`${file}: not in a layer folder (${LAYERS.join(", ")})`);
      continue;
    }
    const rank = LAYERS.indexOf(layer as (typeof LAYERS)[number]);
    for (const specifier of imports) {
      if (specifier.startsWith("@cucumber/"))
        problems.push(`${file}: imports ${specifier} (support code knows nothing of Gherkin)`);
      if (!specifier.startsWith(".")) {
        if (layer === "text") problems.push(`${file}: text/ is pure, but imports ${specifier}`);
        continue;
      }
      const target = relative(SUPPORT, resolve(join(SUPPORT, dirname(file)), specifier));
      if (target.startsWith("..")) {
        problems.push(`${file}: imports ${specifier}, outside support/`);
        continue;
      }
      const targetLayer = layerOf(target);
      const targetRank = LAYERS.indexOf(targetLayer as (typeof LAYERS)[number]);
      if (targetRank > rank)
        problems.push(`${file}: ${layer}/ imports ${target.split(sep).join("/")} from ${targetLayer}/, a higher layer`);
    }
  }
  return problems;
}

/** Every module under support/ with its imports. */
export async function supportModules(): Promise<ModuleImports[]> {
  const files = (await readdir(SUPPORT, { recursive: true })).filter((f) => f.endsWith(".ts")).sort();
  return Promise.all(
    files.map(async (file) => ({ file, imports: importSpecifiers(await readFile(join(SUPPORT, file), "utf8")) })),
  );
}
