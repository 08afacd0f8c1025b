// A swarm node that is its own User-Mode Linux kernel running its engine's dockerd
// (no Docker-in-Docker): a machine, so it can lose power, reboot, have its cable
// pulled, and boot another root with the same data disk (an in-place upgrade).
// Its disks are copy-on-write files over the engine's cached root and data images;
// its lab network is a tap on the cluster's bridge; its commands come over its own
// point-to-point link (uml-channel.ts), which a pulled cable leaves up.
import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, readFile } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import type { HostEnvironment } from "../host/harness.js";
import { RUN_ID } from "../host/labels.js";
import { StartedUmlBridge } from "../host/uml-bridge.js";
import {
  bootUmlKernel,
  openManagementLink,
  umlDir,
  type ManagementLink,
  type RecordedTap,
  type RunningUmlKernel,
} from "../host/uml-kernel.js";
import { forget, record, removeAbandonedUml, removeEntry } from "../host/uml-ledger.js";
import { config } from "../run/config.js";
import { DEADLINE_MS, INTERVAL_MS, LOG_TAIL_LINES } from "../run/limits.js";
import { pollUntil, scaledTimeout } from "../run/poll.js";
import type { NodeSite } from "./node-site.js";
import { AgentListener } from "./uml-channel.js";
import { umlDisks } from "./uml-disks.js";
import {
  NodeStartError,
  StartedSwarmNode,
  daemonAnswersCommand,
  type NodeSpec,
  type NodeState,
  type PowerOff,
  type NodeAccess,
} from "./swarm-node.js";

/** Each kernel's memory ceiling; it takes from this machine only what it touches. */
const NODE_MEMORY = "2G";
const MODULES_MISSING = "swarmnet-uml: modules not loaded:";

/** The last octet of a lab address: names the node's taps and picks its core. */
function hostNumber(address: string): number {
  return Number(address.split(".")[3]);
}

/** A UML node's disks: copy-on-write files in a directory of its own, kept across reboots and upgrades. */
export class UmlNodeState implements NodeState {
  private constructor(
    readonly dir: string,
    /** The data image the data disk's copy-on-write file was made over (fixed at its first boot). */
    readonly dataImage: string,
    private readonly handle: string,
  ) {}

  static async create(name: string, dataImage: string): Promise<UmlNodeState> {
    await mkdir(join(umlDir(), "nodes"), { recursive: true });
    const dir = await mkdtemp(join(umlDir(), "nodes", `${RUN_ID}-${name}-`));
    return new UmlNodeState(dir, dataImage, record({ kind: "dir", pid: process.pid, name: dir }));
  }

  get dataCow(): string {
    return join(this.dir, "data.cow");
  }

  /** The root disk's copy-on-write file (another engine or kernel boots another root: an OS reinstall). */
  rootCow(engine: string, kernel: string): string {
    return join(this.dir, `root-${engine}-${kernel}.cow`);
  }

  async remove(): Promise<void> {
    removeEntry({ kind: "dir", pid: process.pid, name: this.dir });
    forget(this.handle);
  }
}

/** The bridges a UML cluster's nodes plug into. */
interface UmlBridges {
  lab: StartedUmlBridge;
  data?: StartedUmlBridge;
}

export class StartedUmlNode extends StartedSwarmNode {
  private kernel?: RunningUmlKernel;
  private kernelVersion = "(not booted)";

  private constructor(
    spec: NodeSpec,
    private readonly host: HostEnvironment,
    private readonly bridges: UmlBridges,
    private readonly state: UmlNodeState,
    private readonly link: ManagementLink,
    private readonly listener: AgentListener,
    private readonly taps: { lab: RecordedTap; data?: RecordedTap },
  ) {
    super(spec, listener.channel(scaledTimeout(DEADLINE_MS.daemonStart)));
  }

  /** Makes the node's links and boots its kernel; a node that does not come up takes its links with it. */
  static async start(
    host: HostEnvironment,
    bridges: UmlBridges,
    spec: NodeSpec,
    state: UmlNodeState,
  ): Promise<StartedUmlNode> {
    const link = await openManagementLink();
    const undo: (() => void)[] = [() => link.tap.remove()];
    try {
      const listener = await AgentListener.open(link.host, spec.name);
      undo.push(() => listener.close());
      const lab = await bridges.lab.plug(hostNumber(spec.address));
      undo.push(() => lab.remove());
      const data = bridges.data ? await bridges.data.plug(hostNumber(spec.address)) : undefined;
      if (data) undo.push(() => data.remove());
      const node = new StartedUmlNode(spec, host, bridges, state, link, listener, { lab, data });
      await node.boot();
      return node;
    } catch (error) {
      for (const step of undo.reverse()) step();
      throw error;
    }
  }

  get kind(): string {
    return `UML ${this.kernelVersion}`;
  }

  get access(): NodeAccess {
    return { channel: this.listener.address, boot: this.listener.boot };
  }

  async bootAgain(): Promise<void> {
    if (this.kernel?.alive) throw new NodeStartError(`${this.name} is running: power it off first.`);
    await this.boot();
  }

  /** Boots the kernel on the node's disks and waits for its dockerd. */
  private async boot(): Promise<void> {
    const kernel = await this.host.umlKernel(this.spec.kernel);
    this.kernelVersion = kernel.version;
    const started = performance.now();
    const { root } = await umlDisks(this.host, this.spec.engine, kernel);
    this.listener.boot = randomBytes(6).toString("hex");
    const consoleLog = join(this.state.dir, "console.log");
    this.kernel = await bootUmlKernel({
      kernel,
      root: { image: root, cow: this.state.rootCow(this.spec.engine, kernel.version) },
      data: { image: this.state.dataImage, cow: this.state.dataCow },
      taps: [this.link.tap.name, this.taps.lab.name, ...(this.taps.data ? [this.taps.data.name] : [])],
      parameters: {
        name: this.name,
        link: this.link.node,
        addr: `${this.address}/24`,
        ...(this.spec.dataAddress ? { data: `${this.spec.dataAddress}/24` } : {}),
        channel: this.listener.address,
        boot: this.listener.boot,
      },
      memory: NODE_MEMORY,
      // Node n (at .10+n) of worker w on core n+w: a cluster's kernels spread over the
      // cores, and the clusters of parallel workers start on different ones.
      core: (hostNumber(this.address) - 10 + config().workerId) % availableParallelism(),
      console: consoleLog,
    });
    const running = this.kernel;
    running.onExit(() => void this.commands.abort(`its kernel (pid ${running.pid}) exited`));
    try {
      // The agent answers once the init has loaded the modules: a kernel that lacks one
      // (Debian's 7.2 UML has no nat table at all) fails here, naming them. Kernel
      // messages may share the console line.
      await this.runOk(["true"]);
      const console = await readFile(consoleLog, "utf8");
      const missing = console.split("\n").find((l) => l.includes(MODULES_MISSING));
      if (missing) {
        const names = missing.slice(missing.indexOf(MODULES_MISSING) + MODULES_MISSING.length).trim();
        throw new NodeStartError(`kernel ${kernel.version} could not load: ${names}`);
      }
      await pollUntil(
        `the docker daemon on ${this.name} (UML kernel ${kernel.version})`,
        () => this.run(daemonAnswersCommand()),
        (r) => r.exitCode === 0 && r.stdout.trim() !== "",
        { timeoutMs: DEADLINE_MS.daemonStart, intervalMs: INTERVAL_MS.fast },
      );
    } catch (error) {
      const [tail, log] = await Promise.all([
        running.consoleTail(),
        this.daemonLogTail(LOG_TAIL_LINES.nodeStartFailure),
      ]);
      await running.kill();
      throw new NodeStartError(
        `Node ${this.name} did not come up: ${String(error)}\n--- UML console ---\n${tail}\n--- dockerd log ---\n${log}`,
        { cause: error },
      );
    }
    this.startup.daemonMs = performance.now() - started;
  }

  async powerOff(how: PowerOff): Promise<void> {
    const kernel = this.kernel;
    if (!kernel?.alive) return;
    if (how === "cut") {
      await kernel.kill();
      await this.commands.abort("its power was cut");
      return;
    }
    // Detached, and its answer may be lost: with dockerd already stopped the kernel
    // can be off before the answer is back, and the channel goes down with it.
    await this.runOk(["sh", "-c", "setsid swarmnet-poweroff </dev/null >/dev/null 2>&1 &"]).catch((error: unknown) => {
      if (kernel.alive) throw error;
    });
    if (!(await kernel.exitWithin(scaledTimeout(DEADLINE_MS.daemonStop)))) {
      const tail = await kernel.consoleTail();
      await kernel.kill();
      throw new NodeStartError(`${this.name} did not power off within its deadline.\n--- UML console ---\n${tail}`);
    }
    await this.commands.abort("it was powered off");
  }

  async setPlugged(plugged: boolean): Promise<void> {
    await this.bridges.lab.setPlugged(this.taps.lab.name, plugged);
  }

  override async kernelLogTail(lines: number): Promise<string | undefined> {
    return this.kernel ? this.kernel.consoleTail(lines) : "(its kernel is not running)";
  }

  daemonLogTail(lines: number): Promise<string> {
    return this.run(["tail", "-n", String(lines), "/var/log/dockerd.log"]).then(
      (r) => r.stdout || r.stderr,
      (error: unknown) => `(no daemon log: ${String(error)})`,
    );
  }

  /** Kills the kernel and removes its links, and its disks with it. */
  async stop(): Promise<void> {
    await this.release();
    await this.state.remove();
  }

  /** Shuts down cleanly (everything on the data disk) and removes its links; the disks stay. */
  async stopKeepingState(): Promise<NodeState> {
    await this.powerOff("clean");
    await this.release();
    return this.state;
  }

  private async release(): Promise<void> {
    await this.kernel?.kill();
    await this.commands.abort("it was stopped");
    this.listener.close();
    this.taps.data?.remove();
    this.taps.lab.remove();
    this.link.tap.remove();
  }
}

/** A UML cluster's bridges, and nodes on them. */
export async function umlSite(host: HostEnvironment, dataSubnet?: string): Promise<NodeSite> {
  // An abandoned start's leftovers would hold the bridge and the taps' names.
  removeAbandonedUml();
  const lab = await StartedUmlBridge.start(host.labSubnet);
  let data: StartedUmlBridge | undefined;
  try {
    if (dataSubnet) data = await StartedUmlBridge.start(dataSubnet);
  } catch (error) {
    lab.remove();
    throw error;
  }
  const bridges = { lab, data };
  const disks = async (spec: NodeSpec) => umlDisks(host, spec.engine, await host.umlKernel(spec.kernel));
  return {
    prepare: async (spec) => void (await disks(spec)),
    newState: async (spec) => UmlNodeState.create(spec.name, (await disks(spec)).data),
    async start(spec, state) {
      if (!(state instanceof UmlNodeState))
        throw new NodeStartError(`${spec.name}: a UML node keeps its state on disks.`);
      try {
        return await StartedUmlNode.start(host, bridges, spec, state);
      } catch (error) {
        await state.remove();
        throw error;
      }
    },
    async remove() {
      data?.remove();
      lab.remove();
    },
  };
}
