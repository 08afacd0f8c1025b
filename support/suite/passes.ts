// Which scenarios run on which nodes. Scenarios tagged @machine need nodes that are
// machines (a power cut, a reboot), and those tagged @ipvs or @esp need kernel
// features; where a User-Mode Linux kernel can be had, they run in a second pass whose
// nodes are UML kernels of their own (@ipvs/@esp only where the host kernel lacks
// them); the other scenarios run on container nodes.
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, dirname, join, relative } from "node:path";
import { getHarness } from "../host/harness.js";
import { describeKernel } from "../host/kernel-capabilities.js";
import { umlUnavailableReason } from "../host/uml-kernel.js";
import { config } from "../run/config.js";
import { progress } from "../run/log.js";
import { MACHINE_TAG, UML_TAGS } from "../run/tags.js";
import { RERUN_FILE, UML_REPORTS, umlPassEnv } from "../run/uml-pass.js";
import { runCucumber, scenarioCount } from "./cucumber.js";

/** Which scenarios go to UML nodes, or why none do. */
async function umlSelection(args: string[]): Promise<{ tags: string } | { none: string }> {
  const setting = config().kernel;
  if (setting === "host") return { none: "SWARMNET_KERNEL=host" };
  const unavailable = umlUnavailableReason();
  if (unavailable) {
    if (setting === "uml") throw new Error(`SWARMNET_KERNEL=uml, but no UML node can be had: ${unavailable}.`);
    return { none: `no UML node can be had here: ${unavailable}` };
  }
  const { kernel } = await getHarness();
  const hostHasAll = setting === "auto" && kernel.ipvs && kernel.esp;
  if (hostHasAll)
    progress(`the host kernel has IPVS and ESP (${describeKernel(kernel)}): only ${MACHINE_TAG} goes to UML nodes`);
  const tags = hostHasAll ? MACHINE_TAG : UML_TAGS;
  if ((await scenarioCount(args, tags)) === 0) return { none: `no selected scenario is tagged ${tags}` };
  return { tags };
}

const FORMAT_OPTIONS = new Set(["--format", "-f"]);

/** `html:reports/x.html` for the UML pass: `html:reports/uml/x.html`; a formatter to stdout stays. */
function umlOutput(format: string): string {
  const colon = format.indexOf(":");
  if (colon < 0) return format;
  const path = format.slice(colon + 1);
  return `${format.slice(0, colon)}:${join(dirname(path), UML_REPORTS, basename(path))}`;
}

/**
 * The UML pass's arguments: a `--format name:file` the user gave writes to `uml/file`
 * beside it, so that the two passes do not write one file (the profile's own reports
 * already go to the UML pass's report dir).
 */
export function umlPassArgs(args: readonly string[]): string[] {
  return args.map((arg, i) => {
    if (i > 0 && FORMAT_OPTIONS.has(args[i - 1])) return umlOutput(arg);
    if (arg.startsWith("--format=")) return `--format=${umlOutput(arg.slice("--format=".length))}`;
    return arg;
  });
}

/**
 * Runs the user's selection (cucumber-js arguments) on the nodes each scenario needs:
 * one pass, or a container pass and a UML pass side by side; `env` goes to both (an
 * engine line). The worse exit code.
 */
export async function runPasses(args: string[], env: Record<string, string> = {}): Promise<number> {
  if (config().nodeKind === "uml") {
    progress("SWARMNET_NODES=uml: every selected scenario runs on UML nodes");
    return (await runCucumber(args, { env })).exitCode;
  }
  const selection = await umlSelection(args);
  if ("none" in selection) {
    progress(
      `every scenario runs on container nodes (${selection.none}); those that need what they lack are skipped with the reason`,
    );
    return (await runCucumber(args, { env })).exitCode;
  }
  progress(
    `scenarios tagged ${selection.tags} run on UML nodes ("[uml]" lines), the others on containers, side by side`,
  );
  const [containerPass, umlPass] = await Promise.all([
    runCucumber([...args, "--tags", `not (${selection.tags})`], { env }),
    runCucumber([...umlPassArgs(args), "--tags", selection.tags], {
      env: { ...env, ...umlPassEnv() },
      prefix: "[uml] ",
    }),
  ]);
  return containerPass.exitCode || umlPass.exitCode;
}

/**
 * Runs again the scenarios the last run's passes failed, each pass on its own nodes,
 * from their rerun files (cucumber's `rerun` formatter, written by the `ci` profile).
 * Undefined when the last run left nothing to rerun.
 */
export async function rerunFailures(args: string[]): Promise<number | undefined> {
  const reports = config().reportDir;
  const saved = await mkdtemp(join(tmpdir(), "swarmnet-rerun-"));
  try {
    // Copied first: the passes write new rerun files where they read the old ones.
    const listed = async (from: string, name: string) => {
      const text = await readFile(from, "utf8").catch(() => "");
      if (!text.trim()) return undefined;
      const copy = join(saved, name);
      await writeFile(copy, text);
      return copy;
    };
    // cucumber-js reads a path whose file name starts with "@" as a rerun file, relative to the working directory.
    const container = await listed(join(reports, RERUN_FILE), "@container.txt");
    const uml = await listed(join(reports, UML_REPORTS, RERUN_FILE), "@uml.txt");
    const passes = [
      ...(container ? [runCucumber([...args, relative(process.cwd(), container)])] : []),
      ...(uml ? [runCucumber([...args, relative(process.cwd(), uml)], { env: umlPassEnv(), prefix: "[uml] " })] : []),
    ];
    if (passes.length === 0) return undefined;
    progress(
      `running again what failed last time: ${[container && "container pass", uml && "UML pass"].filter(Boolean).join(", ")}`,
    );
    return (await Promise.all(passes)).reduce((worst, r) => worst || r.exitCode, 0);
  } finally {
    await rm(saved, { recursive: true, force: true });
  }
}
