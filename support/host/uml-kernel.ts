// A full kernel as an ordinary process: User-Mode Linux (Debian's user-mode-linux),
// booting a Debian root with Docker, whose dockerd becomes the outer daemon for the
// scenarios the host kernel cannot run (IPVS, ESP). Its root image is built offline
// and cached by content like the images; each run boots it copy-on-write, so the
// cached image never changes. Its Docker data lives on a second disk kept between
// runs, so images transferred once stay. The link to it is a tap device that only
// this machine sees, and its Docker API listens on that link's address only.
import { execFileSync, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { closeSync, existsSync, openSync, rmSync, writeFileSync } from "node:fs";
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import Docker from "dockerode";
import { execa } from "execa";
import { config } from "../run/config.js";
import { SwarmnetError } from "../run/errors.js";
import { progress, timed } from "../run/log.js";
import { pollUntil } from "../run/poll.js";
import { processIsAlive } from "./labels.js";

const INIT_SCRIPT = fileURLToPath(new URL("../../fixtures/kernels/uml/init.sh", import.meta.url));
/** See the file: UML 6.1 cannot set a process's FP state where the host's XSAVE area is larger than its own. */
const XSTATE_SHIM = fileURLToPath(new URL("../../fixtures/kernels/uml/xstate-shim.c", import.meta.url));
const UML_BINARY = "/usr/bin/linux.uml";
const UML_MODULES = "/usr/lib/uml/modules";
const ROOT_SUITE = "bookworm";
const ROOT_PACKAGES = "docker.io,iptables,kmod,iproute2,ca-certificates,procps";
const ROOT_SIZE = "8G";
const DATA_SIZE = "40G";
/** Taps are swuml<n>; link n is 172.31.250.<4n>/30: host .1, UML .2. */
const TAP_PREFIX = "swuml";
const API_PORT = 2375;
const READY_MARK = "swarmnet-uml: ready";
/** How long the kernel host may take to boot and start dockerd (measured: 13-14 s). */
const BOOT_DEADLINE_MS = 120_000;
const TASKSET = "/usr/bin/taskset";
/**
 * The priority of a kernel host's processes, and of its session as a whole (with
 * Linux's autogroup scheduling, the default here, sessions share the CPU as units,
 * and each node container of the host pass is one). Measured here, a `docker run` in
 * a pinned guest: 3.7 s idle; beside 8 busy sessions 21.1 s at nice 0, 10.5 s at -3,
 * 7.5 s at -5, 4.1 s at -10. Starved, Docker's own RPCs in the guest time out
 * ("context deadline exceeded"); at -10 the host pass beside it starved instead
 * (load average 32, three of its first four scenarios past their deadlines).
 */
const UML_NICE = -5;

export class UmlError extends SwarmnetError {}

/** Why a UML kernel host cannot be had here, or undefined if it can. */
export function umlUnavailableReason(): string | undefined {
  if (!existsSync(UML_BINARY)) return `${UML_BINARY} is missing (apt-get install user-mode-linux)`;
  if (!existsSync(TASKSET)) return `${TASKSET} is missing (apt-get install util-linux)`;
  if (!existsSync("/usr/bin/cc"))
    return "/usr/bin/cc is missing, to build the kernel's ptrace shim (apt-get install gcc)";
  if (!existsSync("/dev/net/tun")) return "/dev/net/tun is missing: no tap device for the link";
  if (process.getuid?.() !== 0) return "creating a tap device needs root";
  return undefined;
}

function umlDir(): string {
  return join(config().cacheDir, "uml");
}

/** The kernel version the UML binary's modules are for (one directory under /usr/lib/uml/modules). */
async function umlKernelVersion(): Promise<string> {
  const versions = (await readdir(UML_MODULES)).filter((d) => /^\d/.test(d)).sort();
  if (versions.length === 0) throw new UmlError(`No UML kernel modules under ${UML_MODULES}.`);
  return versions[versions.length - 1];
}

async function run(command: string, args: string[], what: string): Promise<void> {
  const result = await execa(command, args, { reject: false, all: true });
  if (result.exitCode !== 0)
    throw new UmlError(`${what} failed (exit ${result.exitCode}):\n${String(result.all).slice(-2000)}`);
}

/** The root image for this UML kernel and init script, built once and cached by content. */
export async function umlRootImage(): Promise<{ image: string; kernel: string }> {
  const kernel = await umlKernelVersion();
  const init = await readFile(INIT_SCRIPT);
  const hash = createHash("sha256")
    .update(JSON.stringify({ kernel, ROOT_SUITE, ROOT_PACKAGES, ROOT_SIZE }))
    .update(init)
    .digest("hex");
  const image = join(umlDir(), `root-${hash.slice(0, 12)}.img`);
  if (existsSync(image)) return { image, kernel };
  await mkdir(umlDir(), { recursive: true });
  await timed(
    `building the UML kernel host's root image (Debian ${ROOT_SUITE} with docker.io, kernel ${kernel})`,
    async () => {
      const root = await mkdtemp(join(tmpdir(), "swarmnet-uml-root-"));
      try {
        const mirror = config().debianMirror;
        await run(
          "debootstrap",
          ["--variant=minbase", `--include=${ROOT_PACKAGES}`, ROOT_SUITE, root, mirror],
          "debootstrap",
        );
        await mkdir(join(root, "usr/lib/modules"), { recursive: true });
        await run("cp", ["-a", join(UML_MODULES, kernel), join(root, "usr/lib/modules/")], "copying the UML modules");
        await run("chroot", [root, "depmod", "-a", kernel], "depmod");
        // With iptables-nft, dockerd in UML fails: "iptables -t nat -N DOCKER: TABLE_ADD failed".
        for (const tool of ["iptables", "ip6tables"]) {
          await run(
            "chroot",
            [root, "update-alternatives", "--set", tool, `/usr/sbin/${tool}-legacy`],
            `${tool}-legacy`,
          );
        }
        await run(
          "install",
          ["-m", "0755", INIT_SCRIPT, join(root, "sbin/swarmnet-init")],
          "installing the init script",
        );
        const partial = `${image}.${process.pid}.partial`;
        await run("mkfs.ext4", ["-q", "-F", "-d", root, partial, ROOT_SIZE], "mkfs.ext4");
        await run("mv", [partial, image], "moving the root image into place");
      } finally {
        await rm(root, { recursive: true, force: true });
      }
    },
  );
  return { image, kernel };
}

/**
 * The ptrace shim every UML kernel runs with (LD_PRELOAD), built once and cached by
 * its source's hash. On a host whose XSAVE area is UML's size it changes nothing.
 */
export async function xstateShim(): Promise<string> {
  const source = await readFile(XSTATE_SHIM);
  const library = join(umlDir(), `xstate-shim-${createHash("sha256").update(source).digest("hex").slice(0, 12)}.so`);
  if (existsSync(library)) return library;
  await mkdir(umlDir(), { recursive: true });
  const partial = `${library}.${process.pid}.partial`;
  await run("cc", ["-O2", "-shared", "-fPIC", "-o", partial, XSTATE_SHIM, "-ldl"], "building the UML ptrace shim");
  await run("mv", [partial, library], "moving the UML ptrace shim into place");
  return library;
}

/** A run's UML host, as recorded for the sweep of runs that died (kill -9). */
interface UmlRecord {
  pid: number;
  umlPid: number;
  tap: string;
  /** The data disk it has mounted (absent in records of older runs: the slot 0 disk). */
  disk?: string;
}

const recordFile = (tap: string) => join(umlDir(), `run-${tap}.json`);

/** The records of UML hosts that runs started (live or not), with the file each is in. */
async function readRecords(): Promise<{ file: string; record: UmlRecord }[]> {
  if (!existsSync(umlDir())) return [];
  const files = (await readdir(umlDir())).filter((f) => /^run-.*\.json$/.test(f)).map((f) => join(umlDir(), f));
  return Promise.all(
    files.map(async (file) => ({ file, record: JSON.parse(await readFile(file, "utf8")) as UmlRecord })),
  );
}

/** Deletes the tap device (synchronously: signal handlers use it too); gone already is fine. */
function removeTap(tap: string): void {
  try {
    execFileSync("ip", ["link", "del", tap], { stdio: "ignore" });
  } catch {
    // Gone already.
  }
}

function killGroup(pid: number): void {
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    // Gone already.
  }
}

/** Stops UML hosts and removes taps of runs whose process is gone. */
export async function sweepStaleUmlHosts(): Promise<number> {
  let swept = 0;
  for (const { file, record } of await readRecords()) {
    if (processIsAlive(record.pid)) continue;
    killGroup(record.umlPid);
    removeTap(record.tap);
    await rm(file, { force: true });
    swept++;
  }
  if (swept > 0) progress(`removed ${swept} UML kernel host(s) left by runs that died`);
  return swept;
}

async function freeLink(): Promise<{ tap: string; host: string; guest: string }> {
  const { stdout } = await execa("ip", ["-o", "link", "show"]);
  for (let n = 0; n < 60; n++) {
    const tap = `${TAP_PREFIX}${n}`;
    if (!new RegExp(`^\\d+: ${tap}[:@]`, "m").test(stdout)) {
      return { tap, host: `172.31.250.${4 * n + 1}`, guest: `172.31.250.${4 * n + 2}` };
    }
  }
  throw new UmlError("No free swuml<n> tap name: remove stale ones with 'npm run clean'.");
}

/** Whether a live UML kernel host (its record survived the sweep) has `disk` mounted. */
async function diskInUse(disk: string, slotZeroDisk: string): Promise<boolean> {
  return (await readRecords()).some(({ record }) => (record.disk ?? slotZeroDisk) === disk);
}

/**
 * The Docker data disk of kernel host `slot` (a run may boot several), kept between
 * runs and checked before use (a killed run may have left it dirty). While another
 * kernel host has it, this one gets a throwaway disk in `workDir`: two kernels must
 * never mount one ext4.
 */
async function dataDisk(kernel: string, workDir: string, slot: number): Promise<string> {
  const slotZeroDisk = join(umlDir(), `docker-data-${kernel}.img`);
  const disk = slot === 0 ? slotZeroDisk : join(umlDir(), `docker-data-${kernel}-${slot}.img`);
  if (await diskInUse(disk, slotZeroDisk)) {
    progress("another UML kernel host holds the kept Docker data disk: using a new one for this host");
    return createDisk(join(workDir, "docker-data.img"));
  }
  if (!existsSync(disk)) {
    await createDisk(disk);
  } else {
    // -p repairs what is safe; exit 1 means it did, which is fine.
    const check = await execa("e2fsck", ["-p", disk], { reject: false, all: true });
    if ((check.exitCode ?? 8) > 1) {
      progress(
        `the UML data disk failed its check (${String(check.all).trim().split("\n").pop()}); starting a new one`,
      );
      await rm(disk, { force: true });
      await createDisk(disk);
    }
  }
  return disk;
}

async function createDisk(disk: string): Promise<string> {
  await run("truncate", ["-s", DATA_SIZE, disk], "creating the data disk");
  await run("mkfs.ext4", ["-q", "-F", disk], "mkfs.ext4 of the data disk");
  return disk;
}

export class StartedUmlKernelHost {
  constructor(
    readonly kernel: string,
    readonly dockerHost: string,
    private readonly tap: string,
    private readonly umlPid: number,
    private readonly workDir: string,
  ) {}

  /** A client for the kernel host's dockerd. */
  docker(): Docker {
    const url = new URL(this.dockerHost.replace(/^tcp:/, "http:"));
    return new Docker({ host: url.hostname, port: Number(url.port) });
  }

  async consoleTail(lines = 30): Promise<string> {
    const text = await readFile(join(this.workDir, "console.log"), "utf8").catch(() => "(no console log)");
    return text.split("\n").filter(Boolean).slice(-lines).join("\n");
  }

  async stop(): Promise<void> {
    this.stopNow();
  }

  /** Synchronous, so that a signal handler finishes it before the process exits. */
  stopNow(): void {
    killGroup(this.umlPid);
    removeTap(this.tap);
    rmSync(recordFile(this.tap), { force: true });
    rmSync(this.workDir, { recursive: true, force: true });
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }
}

/** Gives the kernel host's session (it is started detached) UML_NICE as a whole. */
function raiseSessionPriority(pid: number): void {
  try {
    writeFileSync(`/proc/${pid}/autogroup`, String(UML_NICE));
  } catch (error) {
    progress(`the UML kernel host's session keeps the normal priority (${(error as Error).message})`);
  }
}

/** Boots a UML kernel host and waits until its dockerd answers and is clean. */
export async function startUmlKernelHost({ memory = "6G", slot = 0 } = {}): Promise<StartedUmlKernelHost> {
  const reason = umlUnavailableReason();
  if (reason) throw new UmlError(`No UML kernel host here: ${reason}.`);
  await sweepStaleUmlHosts();
  const { image, kernel } = await umlRootImage();
  const shim = await xstateShim();
  const workDir = await mkdtemp(join(tmpdir(), "swarmnet-uml-"));
  const disk = await dataDisk(kernel, workDir, slot);
  const link = await freeLink();
  const core = slot % availableParallelism();
  return timed(`booting the UML kernel host (kernel ${kernel}, ${link.tap} ${link.guest}, core ${core})`, async () => {
    await run("ip", ["tuntap", "add", link.tap, "mode", "tap"], "creating the tap device");
    await run("ip", ["addr", "add", `${link.host}/30`, "dev", link.tap], "addressing the tap device");
    await run("ip", ["link", "set", link.tap, "up"], "bringing the tap device up");
    const args = [
      `mem=${memory}`,
      `ubd0=${join(workDir, "root.cow")},${image}`,
      `ubd1=${disk}`,
      "root=/dev/ubda",
      "rw",
      "init=/sbin/swarmnet-init",
      `swarmnet_addr=${link.guest}/30`,
      // gro=1: without it the guest drops the host's GSO frames and large transfers stall.
      `vec0:transport=tap,ifname=${link.tap},gro=1`,
      "con=null",
      "con0=null,fd:1",
    ];
    const consoleFd = openSync(join(workDir, "console.log"), "w");
    // One core for the whole process tree: the round trips of every guest syscall
    // then never cross cores, which is costly in a virtual machine (measured here: a
    // `docker run` in the guest 16.0 s on any core, 3.9 s pinned to one). Each kernel
    // host gets a core of its own where there are enough. taskset and nice(1) exec
    // the kernel, so the child's pid is the UML process's; where nice may not raise
    // the priority it says so in the console log and runs the kernel anyway.
    const command = ["--cpu-list", String(core), "nice", "-n", String(UML_NICE), UML_BINARY, ...args];
    const child = spawn(TASKSET, command, {
      detached: true,
      stdio: ["ignore", consoleFd, consoleFd],
      env: { ...process.env, LD_PRELOAD: shim },
    });
    child.unref();
    closeSync(consoleFd);
    const umlPid = child.pid ?? 0;
    raiseSessionPriority(umlPid);
    await writeFile(
      recordFile(link.tap),
      JSON.stringify({ pid: process.pid, umlPid, tap: link.tap, disk } satisfies UmlRecord),
    );
    const host = new StartedUmlKernelHost(kernel, `tcp://${link.guest}:${API_PORT}`, link.tap, umlPid, workDir);
    try {
      await pollUntil(
        "the UML kernel host's dockerd to be ready",
        async () =>
          (await readFile(join(workDir, "console.log"), "utf8")).includes(READY_MARK) || !processIsAlive(umlPid),
        (done) => done,
        { timeoutMs: BOOT_DEADLINE_MS, intervalMs: 200 },
      );
      if (!processIsAlive(umlPid)) throw new UmlError("the UML process exited");
      await host.docker().version();
    } catch (error) {
      const tail = await host.consoleTail();
      await host.stop();
      throw new UmlError(`The UML kernel host did not come up: ${String(error)}\n--- UML console ---\n${tail}`, {
        cause: error,
      });
    }
    return host;
  });
}
