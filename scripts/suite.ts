// The scenario suite, on the kernels it needs: `npm start` and `npm test` run this.
// Scenarios tagged @ipvs or @esp need kernel features; where the host kernel lacks
// them and a User-Mode Linux kernel host can be had (SWARMNET_KERNEL=auto, the
// default, or uml), they run in a second pass whose outer daemon is the dockerd of
// a UML kernel host booted for it; the other scenarios run on the host's daemon as
// always. Arguments are cucumber-js's. Exit code: the worst pass's.
import { availableParallelism } from "node:os";
import { rm } from "node:fs/promises";
import { execa } from "execa";
import { loadConfiguration, loadSources } from "@cucumber/cucumber/api";
import Docker from "dockerode";
import { UML_DOCKER_HOSTS_VARIABLE } from "../support/host/docker-host.js";
import { getHarness } from "../support/host/harness.js";
import { transferImages } from "../support/host/image-transfer.js";
import { describeKernel } from "../support/host/kernel-capabilities.js";
import { startUmlKernelHost, umlUnavailableReason, type StartedUmlKernelHost } from "../support/host/uml-kernel.js";
import { config } from "../support/run/config.js";
import { progress } from "../support/run/log.js";

export const KERNEL_TAGS = "@ipvs or @esp";
/** Deadlines on the UML kernel host are this many times longer (at least). */
const UML_TIMEOUT_SCALE = 6;
/**
 * Deadlines of the host pass beside a UML pass are this many times longer. Measured
 * beside it: the churn and the in-place upgrades took 2.1-3.0 times as long as with
 * the host pass alone (583-727 s against 229-277 s), and in CI a forced update and an
 * upgraded node's return each outlasted their 90 s deadlines.
 */
const BESIDE_UML_TIMEOUT_SCALE = 3;
/** Reports of the UML pass go beside the host pass's, under this folder of the report dir. */
export const UML_REPORTS = "uml";

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

/**
 * The host pass's settings while a UML pass runs beside it, unless the user set them:
 * a worker per core, not the default's extra worker (the extra worker fills cores
 * left idle while long scenarios wait; here the UML pass fills them, and UML guests
 * short of CPU miss their swarm heartbeats), and deadlines stretched, because the
 * kernel hosts run at a higher priority (uml-kernel.ts) and the host pass's swarms
 * slow down with it.
 */
function hostPassBesideUml(): Record<string, string> {
  const env: Record<string, string> = {};
  if (!process.env.SWARMNET_PARALLEL) env.SWARMNET_PARALLEL = String(workersWithinCores());
  if (!process.env.SWARMNET_TIMEOUT_SCALE) env.SWARMNET_TIMEOUT_SCALE = String(BESIDE_UML_TIMEOUT_SCALE);
  return env;
}

/** The run's workers, but not more than one per core. */
function workersWithinCores(): number {
  return Math.min(config().parallel, availableParallelism());
}

/** Why the kernel-dependent scenarios cannot go to a UML kernel host, or undefined if they go. */
async function umlDecision(): Promise<string | undefined> {
  const setting = config().kernel;
  if (setting === "host") return "SWARMNET_KERNEL=host";
  const { kernel } = await getHarness();
  if (setting === "auto" && kernel.ipvs && kernel.esp)
    return `the host kernel has IPVS and ESP (${describeKernel(kernel)})`;
  const unavailable = umlUnavailableReason();
  if (unavailable) {
    if (setting === "uml") throw new Error(`SWARMNET_KERNEL=uml, but no UML kernel host can be had: ${unavailable}.`);
    return `no UML kernel host can be had here: ${unavailable}`;
  }
  if ((await scenarioCount(KERNEL_TAGS)) === 0) return "no selected scenario needs IPVS or ESP";
  return undefined;
}

/**
 * How many UML kernel hosts the pass boots: one per worker the run would have, but
 * not more than one per core (a kernel host has one CPU; measured here the machine
 * was two-thirds idle while the UML pass ran alone, and the host pass's extra worker
 * is for waiting, not for CPU), nor than there are scenarios for them.
 */
async function umlHostCount(): Promise<number> {
  return Math.max(1, Math.min(workersWithinCores(), await scenarioCount(KERNEL_TAGS)));
}

async function runOnUml(): Promise<number> {
  const harness = await getHarness();
  // Every engine line's node image is built here and copied over: the UML kernel host
  // cannot build one (it has no route beyond this machine), and kernel scenarios may
  // name any engine (an upgrade in place under IPVS). Copies stay on its data disk.
  for (const engine of harness.engines.engines) await harness.images.nodeImage(engine);
  const hosts: StartedUmlKernelHost[] = [];
  const stopAll = () => hosts.splice(0).forEach((h) => h.stopNow());
  const onSignal = (signal: NodeJS.Signals) => {
    progress(`${signal}: stopping the UML kernel host(s)`);
    stopAll();
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    const count = await umlHostCount();
    // One at a time: each takes the next free tap and data disk.
    for (let slot = 0; slot < count; slot++) hosts.push(await startUmlKernelHost({ slot }));
    await Promise.all(hosts.map((h) => transferImages(new Docker(), h.docker(), harness.images.references())));
    const [first] = hosts;
    progress(
      `second pass: the scenarios tagged ${KERNEL_TAGS}, on ${count} UML kernel host(s) ` +
        `(kernel ${first.kernel}, ${hosts.map((h) => h.dockerHost).join(", ")}), a cucumber worker each`,
    );
    return await cucumber(
      ["--tags", KERNEL_TAGS],
      {
        DOCKER_HOST: first.dockerHost,
        [UML_DOCKER_HOSTS_VARIABLE]: hosts.map((h) => h.dockerHost).join(","),
        SWARMNET_UML_KERNEL: first.kernel,
        SWARMNET_REPORT_DIR: `${config().reportDir}/${UML_REPORTS}`,
        // One CPU that traps every guest syscall: what takes 1 s on the host kernel
        // takes many here, and deadlines stretch with it.
        SWARMNET_TIMEOUT_SCALE: String(Math.max(config().timeoutScale, UML_TIMEOUT_SCALE)),
        SWARMNET_PARALLEL: String(count),
        // A fresh cluster is cheaper there than a reset one (measured: 86 s against
        // 96 s alone, 204 s against 282 s beside the host pass): restarting three
        // wiped daemons and checking them costs more than starting three nodes.
        SWARMNET_REUSE: process.env.SWARMNET_REUSE ?? "false",
      },
      "[uml] ",
    );
  } catch (error) {
    progress(`the UML pass could not run: ${String(error)}`);
    return 1;
  } finally {
    stopAll();
  }
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
const noUml = await umlDecision();
if (noUml) {
  progress(
    `scenarios that need IPVS or ESP run on the host kernel (${noUml}); where it lacks them, they are skipped with the reason`,
  );
  process.exitCode = await cucumber([]);
} else {
  progress(
    `scenarios tagged ${KERNEL_TAGS} run on a UML kernel host ("[uml]" lines), the others on the host's daemon, side by side`,
  );
  // Side by side: each UML kernel host is pinned to a core, and the host pass shares
  // the cores with them, its deadlines stretched for it (hostPassBesideUml).
  const [hostPass, umlPass] = await Promise.all([
    cucumber(["--tags", `not (${KERNEL_TAGS})`], hostPassBesideUml()),
    runOnUml(),
  ]);
  process.exitCode = hostPass || umlPass;
}
