// The scenario suite, on the nodes it needs: `npm start` and `npm test` run this.
// Scenarios tagged @machine need nodes that are machines (a power cut, a reboot), and
// those tagged @ipvs or @esp need kernel features; where a User-Mode Linux kernel can
// be had (SWARMNET_KERNEL=auto, the default, or uml), they run in a second pass whose
// nodes are UML kernels of their own (@ipvs/@esp only where the host kernel lacks
// them); the other scenarios run on container nodes as always. SWARMNET_NODES=uml
// runs the whole selection on UML nodes in one pass. Arguments are cucumber-js's.
// Exit code: the worst pass's.
import { rm } from "node:fs/promises";
import { execa } from "execa";
import { loadConfiguration, loadSources } from "@cucumber/cucumber/api";
import { getHarness } from "../support/host/harness.js";
import { describeKernel, MACHINE_TAG } from "../support/host/kernel-capabilities.js";
import { umlUnavailableReason } from "../support/host/uml-kernel.js";
import { config } from "../support/run/config.js";
import { KERNEL_TAGS, UML_REPORTS, umlPassEnv } from "../support/run/uml-pass.js";
import { progress } from "../support/run/log.js";

const args = process.argv.slice(2);

/**
 * Runs cucumber-js with the user's arguments and `extra`. With a `prefix`, its output
 * lines carry it (the UML pass runs beside the host pass and their lines interleave).
 */
async function cucumber(extra: string[], env: Record<string, string> = {}, prefix?: string): Promise<number> {
  // cucumber-js itself is the child, not npx: npx dies on SIGTERM without passing it
  // on, which left cucumber and its workers running after an interrupted suite.
  const child = execa("cucumber-js", [...args, ...extra], {
    preferLocal: true,
    stdio: prefix ? ["ignore", "pipe", "pipe"] : "inherit",
    reject: false,
    env,
    lines: false,
  });
  if (prefix) {
    for (const [stream, out] of [
      [child.stdout, process.stdout],
      [child.stderr, process.stderr],
    ] as const) {
      let pending = "";
      stream?.on("data", (chunk: Buffer) => {
        const lines = (pending + chunk.toString()).split("\n");
        pending = lines.pop() ?? "";
        for (const line of lines) out.write(`${prefix}${line}\n`);
      });
      stream?.on("end", () => pending && out.write(`${prefix}${pending}\n`));
    }
  }
  return (await child).exitCode ?? 1;
}

/** How many scenarios the user's selection has (with `tags`: of those, how many match them). */
async function scenarioCount(tags?: string): Promise<number> {
  const profiles: string[] = [];
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--profile" || args[i] === "-p") profiles.push(args[++i]);
    else rest.push(args[i]);
  }
  const { runConfiguration } = await loadConfiguration({
    file: "cucumber.mjs",
    profiles,
    provided: tags ? [...rest, "--tags", tags] : rest,
  });
  return (await loadSources(runConfiguration.sources)).plan.length;
}

/** Which scenarios go to UML nodes, or why none do. */
async function umlSelection(): Promise<{ tags: string } | { none: string }> {
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
  const tags = hostHasAll ? MACHINE_TAG : `${KERNEL_TAGS} or ${MACHINE_TAG}`;
  if ((await scenarioCount(tags)) === 0) return { none: `no selected scenario is tagged ${tags}` };
  return { tags };
}

/** The UML pass: the same cucumber, its nodes UML kernels on a lab subnet of their own. */
function umlPass(tags: string[], prefix?: string): Promise<number> {
  return cucumber(tags, umlPassEnv(), prefix);
}

// A selection that matches nothing (a line filter not on a Scenario line, a tag
// nobody uses) would pass without running anything.
if ((await scenarioCount()) === 0) {
  progress(
    `no scenario matches the selection (${args.join(" ") || "all features"}): a line filter must point at a Scenario line`,
  );
  process.exit(2);
}

// A UML pass's reports from an earlier run must not be counted with this one's.
await rm(`${config().reportDir}/${UML_REPORTS}`, { recursive: true, force: true });
if (config().nodeKind === "uml") {
  progress("SWARMNET_NODES=uml: every selected scenario runs on UML nodes");
  process.exitCode = await cucumber([]);
} else {
  const selection = await umlSelection();
  if ("none" in selection) {
    progress(
      `every scenario runs on container nodes (${selection.none}); those that need what they lack are skipped with the reason`,
    );
    process.exitCode = await cucumber([]);
  } else {
    progress(
      `scenarios tagged ${selection.tags} run on UML nodes ("[uml]" lines), the others on containers, side by side`,
    );
    const [containerPass, umlPassCode] = await Promise.all([
      cucumber(["--tags", `not (${selection.tags})`]),
      umlPass(["--tags", selection.tags], "[uml] "),
    ]);
    process.exitCode = containerPass || umlPassCode;
  }
}
