// A whole Linux kernel as an ordinary process: User-Mode Linux (Debian's
// user-mode-linux). Each UML swarm node is one such kernel, booted from a root image
// copy-on-write, with one tap per network: a point-to-point link to this process
// (its command channel), a port on the cluster's lab bridge, and one on the data
// bridge where the cluster has one. This module boots and kills kernels and makes
// the links; what a node does with its kernel is cluster/uml-node.ts's.
import { spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { closeSync, existsSync, openSync } from "node:fs";
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { execa } from "execa";
import { config } from "../run/config.js";
import { SwarmnetError } from "../run/errors.js";
import type { KernelLine } from "../run/kernels.js";
import { timed } from "../run/log.js";
import { MODULES, type Capability, type KernelCapabilities } from "./kernel-capabilities.js";
import { forget, record, removeEntry, type LedgerEntry } from "./uml-ledger.js";

/** See the file: UML 6.1 cannot set a process's FP state where the host's XSAVE area is larger than its own. */
const XSTATE_SHIM = fileURLToPath(new URL("../../fixtures/kernels/uml/xstate-shim.c", import.meta.url));
const UML_BINARY = "/usr/bin/linux.uml";
const UML_MODULES = "/usr/lib/uml/modules";
const TASKSET = "/usr/bin/taskset";
/** Management links are swml<n>, 172.31.250.<4n>/30: this machine .1, the node .2. */
const LINK_PREFIX = "swml";
const LINK_COUNT = 64;

export class UmlError extends SwarmnetError {}

/** Why a UML node cannot be had here, or undefined if it can. */
export function umlUnavailableReason(): string | undefined {
  if (!existsSync(UML_BINARY)) return `${UML_BINARY} is missing (apt-get install user-mode-linux)`;
  if (!existsSync(TASKSET)) return `${TASKSET} is missing (apt-get install util-linux)`;
  if (!existsSync("/usr/bin/cc"))
    return "/usr/bin/cc is missing, to build the kernel's ptrace shim (apt-get install gcc)";
  if (!existsSync("/dev/net/tun")) return "/dev/net/tun is missing: no tap device for the links";
  if (process.getuid?.() !== 0) return "creating tap devices and bridges needs root";
  return undefined;
}

export function umlDir(): string {
  return join(config().cacheDir, "uml");
}

/** A UML kernel: its program and the modules built for it. */
export interface UmlKernel {
  version: string;
  binary: string;
  modules: string;
}

/** The kernel of the installed user-mode-linux package. */
async function installedUmlKernel(): Promise<UmlKernel> {
  const reason = umlUnavailableReason();
  if (reason) throw new UmlError(`No UML kernel here: ${reason}.`);
  const versions = (await readdir(UML_MODULES)).filter((d) => /^\d/.test(d)).sort();
  const version = versions.at(-1);
  if (!version) throw new UmlError(`No UML kernel modules under ${UML_MODULES}.`);
  return { version, binary: UML_BINARY, modules: join(UML_MODULES, version) };
}

/** Which capabilities the kernel's modules give (whether they load is checked at each boot). */
export async function umlModulesPresent(kernel: UmlKernel, names: string[]): Promise<string[]> {
  const files = (await readdir(kernel.modules, { recursive: true })).map((f) => String(f));
  return names.filter((name) => files.some((f) => new RegExp(`(^|/)${name}\\.ko(\\.[gx]z|\\.zst)?$`).test(f)));
}

/**
 * The kernel of `line`: the installed user-mode-linux where it is that line, else the
 * package of the line's Debian suite, fetched once and cached (see fetchKernel).
 */
export async function umlKernelFor(line: KernelLine): Promise<UmlKernel> {
  const installed = await installedUmlKernel();
  if (installed.version.startsWith(`${line.name}.`)) return installed;
  const dir = join(umlDir(), "kernels", line.name);
  if (!existsSync(join(dir, "linux.uml"))) await fetchKernel(line, dir);
  const version = (await readdir(join(dir, "modules"))).find((d) => /^\d/.test(d));
  if (!version) throw new UmlError(`No modules in ${join(dir, "modules")}: remove ${dir} to fetch it again.`);
  return { version, binary: join(dir, "linux.uml"), modules: join(dir, "modules", version) };
}

/**
 * Downloads the suite's user-mode-linux and libc6 with apt-get (a sources list of its
 * own, nothing installed), and points the kernel program at that libc: a newer
 * suite's kernel needs a newer glibc than this machine may have.
 */
async function fetchKernel(line: KernelLine, dir: string): Promise<void> {
  await timed(`fetching Debian ${line.suite}'s user-mode-linux (kernel line ${line.name})`, async () => {
    await mkdir(join(umlDir(), "kernels"), { recursive: true });
    const work = await mkdtemp(join(umlDir(), "kernels", `${line.name}.fetch-`));
    try {
      await writeFile(join(work, "sources.list"), `deb ${config().debianMirror} ${line.suite} main\n`);
      for (const sub of ["lists/partial", "cache/archives/partial"]) await mkdir(join(work, sub), { recursive: true });
      const apt = [
        ...["-o", `Dir::Etc::SourceList=${join(work, "sources.list")}`, "-o", "Dir::Etc::SourceParts=/nonexistent"],
        ...["-o", `Dir::State::Lists=${join(work, "lists")}`, "-o", `Dir::Cache=${join(work, "cache")}`],
        ...["-o", "Acquire::Check-Valid-Until=false", "-qq"],
      ];
      await run("apt-get", [...apt, "update"], `apt-get update for Debian ${line.suite}`);
      const download = await execa("apt-get", [...apt, "download", "user-mode-linux", "libc6"], {
        cwd: work,
        reject: false,
        all: true,
      });
      if (download.exitCode !== 0)
        throw new UmlError(`Downloading Debian ${line.suite}'s user-mode-linux failed:\n${String(download.all)}`);
      const debs = await readdir(work);
      for (const [pkg, into] of [
        ["user-mode-linux_", "uml"],
        ["libc6_", "libc"],
      ]) {
        const deb = debs.find((f) => f.startsWith(pkg) && f.endsWith(".deb"));
        if (!deb) throw new UmlError(`apt-get download gave no ${pkg}*.deb for Debian ${line.suite}.`);
        await run("dpkg", ["-x", join(work, deb), join(work, into)], `unpacking ${deb}`);
      }
      const partial = `${dir}.${process.pid}.partial`;
      await mkdir(partial, { recursive: true });
      await run("mv", [join(work, "uml/usr/bin/linux.uml"), join(partial, "linux.uml")], "placing linux.uml");
      await run("mv", [join(work, "uml/usr/lib/uml/modules"), join(partial, "modules")], "placing the modules");
      await run("mv", [join(work, "libc"), join(partial, "libc")], "placing libc");
      const libs = join(dir, "libc/usr/lib/x86_64-linux-gnu");
      await run(
        "patchelf",
        ["--set-interpreter", join(libs, "ld-linux-x86-64.so.2"), "--set-rpath", libs, join(partial, "linux.uml")],
        "pointing linux.uml at its suite's libc (apt-get install patchelf)",
      );
      await run("mv", ["-T", partial, dir], `moving kernel ${line.name} into place`);
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  });
}

/**
 * What a UML kernel can carry, from its modules: they load at every boot, and a node
 * whose kernel could not load one does not start (cluster/uml-node.ts).
 */
export async function umlKernelCapabilities(kernel: UmlKernel): Promise<KernelCapabilities> {
  const has = async (c: Capability) => (await umlModulesPresent(kernel, MODULES[c])).length === MODULES[c].length;
  return { ipvs: await has("ipvs"), esp: await has("esp"), nftNat: false, release: kernel.version, kind: "UML" };
}

export async function run(command: string, args: string[], what: string): Promise<string> {
  const result = await execa(command, args, { reject: false, all: true });
  if (result.exitCode !== 0)
    throw new UmlError(`${what} failed (exit ${result.exitCode}):\n${String(result.all).slice(-2000)}`);
  return String(result.stdout);
}

let shimBuild: Promise<string> | undefined;

/**
 * The ptrace shim every UML kernel runs with (LD_PRELOAD), built once and cached by
 * its source's hash. On a host whose XSAVE area is UML's size it changes nothing.
 * One build per process: a cluster's nodes boot together, and their builds shared
 * one partial file (the first move took it from the others, on a fresh cache).
 */
export function xstateShim(): Promise<string> {
  shimBuild ??= buildXstateShim().catch((error: unknown) => {
    shimBuild = undefined;
    throw error;
  });
  return shimBuild;
}

async function buildXstateShim(): Promise<string> {
  const source = await readFile(XSTATE_SHIM);
  const library = join(umlDir(), `xstate-shim-${createHash("sha256").update(source).digest("hex").slice(0, 12)}.so`);
  if (existsSync(library)) return library;
  await mkdir(umlDir(), { recursive: true });
  const partial = `${library}.${process.pid}.partial`;
  await run("cc", ["-O2", "-shared", "-fPIC", "-o", partial, XSTATE_SHIM, "-ldl"], "building the UML ptrace shim");
  await run("mv", [partial, library], "moving the UML ptrace shim into place");
  return library;
}

/** A tap recorded in the ledger; removed (and forgotten) by `remove`. */
export class RecordedTap {
  private constructor(
    readonly name: string,
    private readonly handle: string,
  ) {}

  /** Creates tap `name`, up; `master` puts it on that bridge. */
  static async create(name: string, master?: string): Promise<RecordedTap> {
    await run("ip", ["tuntap", "add", name, "mode", "tap"], `creating tap ${name}`);
    const tap = new RecordedTap(name, record({ kind: "tap", pid: process.pid, name }));
    try {
      if (master) await run("ip", ["link", "set", name, "master", master], `putting ${name} on ${master}`);
      await run("ip", ["link", "set", name, "up"], `bringing ${name} up`);
    } catch (error) {
      tap.remove();
      throw error;
    }
    return tap;
  }

  remove(): void {
    removeEntry({ kind: "tap", pid: process.pid, name: this.name });
    forget(this.handle);
  }
}

/** The point-to-point link a node's command channel runs on. */
export interface ManagementLink {
  tap: RecordedTap;
  /** This machine's end, where the harness listens. */
  host: string;
  /** The node's end, a.b.c.d/30. */
  node: string;
}

/** The first free swml<n> (another worker may take the same one first: then the next). */
export async function openManagementLink(): Promise<ManagementLink> {
  for (let n = 0; n < LINK_COUNT; n++) {
    const name = `${LINK_PREFIX}${n}`;
    if (existsSync(`/sys/class/net/${name}`)) continue;
    let tap: RecordedTap;
    try {
      tap = await RecordedTap.create(name);
    } catch {
      continue;
    }
    const host = `172.31.250.${4 * n + 1}`;
    try {
      await run("ip", ["addr", "add", `${host}/30`, "dev", name], `addressing ${name}`);
    } catch (error) {
      tap.remove();
      throw error;
    }
    return { tap, host, node: `172.31.250.${4 * n + 2}/30` };
  }
  throw new UmlError(`No free ${LINK_PREFIX}<n> link of ${LINK_COUNT}: remove stale ones with 'npm run clean'.`);
}

export interface UmlBootOptions {
  kernel: UmlKernel;
  /** Root image and this node's copy-on-write file over it (made on first boot, kept after). */
  root: { image: string; cow: string };
  data: { image: string; cow: string };
  /** Taps, in order: the kernel's vec0, vec1, ... */
  taps: string[];
  /** swarmnet_* parameters for the init (name, addresses, channel). */
  parameters: Record<string, string>;
  memory: string;
  /** The core the kernel runs on. */
  core: number;
  console: string;
}

/** A UML kernel process, recorded in the ledger until it is gone. */
export class RunningUmlKernel {
  private readonly exited: Promise<number | null>;
  private handle?: string;

  constructor(
    private readonly child: ChildProcess,
    private readonly name: string,
    private readonly consoleLog: string,
  ) {
    const pid = child.pid ?? 0;
    this.handle = record({ kind: "kernel", pid: process.pid, umlPid: pid, name } satisfies LedgerEntry);
    this.exited = new Promise((resolve) => child.once("exit", (code) => resolve(code)));
    void this.exited.then(() => this.release());
  }

  get pid(): number {
    return this.child.pid ?? 0;
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Called once when the process has exited, however. */
  onExit(listener: () => void): void {
    void this.exited.then(listener);
  }

  /** Power cut: the kernel and its helpers killed outright; nothing is flushed. */
  kill(): Promise<number | null> {
    removeEntry({ kind: "kernel", pid: process.pid, umlPid: this.pid, name: this.name });
    return this.untilExited();
  }

  /** The exit, waited for with the child referenced (an unreferenced child lets this process end first). */
  private async untilExited(): Promise<number | null> {
    this.child.ref();
    try {
      return await this.exited;
    } finally {
      this.child.unref();
    }
  }

  /** Waits for the kernel to exit by itself (a power-off from inside), at most `ms`. */
  async exitWithin(ms: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
    const done = await Promise.race([this.untilExited().then(() => true as const), timeout]);
    clearTimeout(timer);
    return done;
  }

  async consoleTail(lines = 30): Promise<string> {
    const text = await readFile(this.consoleLog, "utf8").catch(() => "(no console log)");
    return text.split("\n").filter(Boolean).slice(-lines).join("\n");
  }

  private release(): void {
    if (this.handle) forget(this.handle);
    this.handle = undefined;
  }
}

/**
 * Boots a kernel: detached in a session of its own (so that its helper processes die
 * with its group), pinned to one core (every guest syscall is a round trip between
 * the kernel's host processes; on one core those never cross cores), with the ptrace
 * shim preloaded.
 */
export async function bootUmlKernel(options: UmlBootOptions): Promise<RunningUmlKernel> {
  const shim = await xstateShim();
  const args = [
    `mem=${options.memory}`,
    `ubd0=${options.root.cow},${options.root.image}`,
    `ubd1=${options.data.cow},${options.data.image}`,
    "root=/dev/ubda",
    "rw",
    "init=/sbin/swarmnet-init",
    ...Object.entries(options.parameters).map(([k, v]) => `swarmnet_${k}=${v}`),
    // gro=1: without it the guest drops the host's GSO frames and large transfers stall.
    ...options.taps.map((tap, i) => `vec${i}:transport=tap,ifname=${tap},gro=1`),
    "con=null",
    "con0=null,fd:1",
  ];
  const consoleFd = openSync(options.console, "a");
  const child = spawn(TASKSET, ["--cpu-list", String(options.core), options.kernel.binary, ...args], {
    detached: true,
    stdio: ["ignore", consoleFd, consoleFd],
    env: { ...process.env, LD_PRELOAD: shim },
  });
  closeSync(consoleFd);
  child.unref();
  if (!child.pid) throw new UmlError(`Could not start ${options.kernel.binary} for ${options.parameters.name}.`);
  return new RunningUmlKernel(child, options.parameters.name ?? "uml", options.console);
}
