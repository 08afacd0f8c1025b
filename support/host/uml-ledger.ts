// What swarmnet makes on this machine outside Docker (UML kernel processes, taps,
// bridges with their firewall rule, copy-on-write disks; the REJECT rule of a lab
// network's bridge), written down as it is made, one file per thing, so that a run
// that died (kill -9) is cleaned up by the next, and a Ctrl-C by this one. Docker's
// own leftovers are cleanup.ts's.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { config } from "../run/config.js";
import { progress } from "../run/log.js";
import { processIsAlive } from "./labels.js";

export type LedgerEntry =
  | { kind: "kernel"; pid: number; umlPid: number; name: string }
  | { kind: "tap"; pid: number; name: string }
  | { kind: "bridge"; pid: number; name: string }
  | { kind: "dir"; pid: number; name: string }
  /** The REJECT for what would leave a lab network's bridge (named by the bridge). */
  | { kind: "rule"; pid: number; name: string };

/** Removal order: kernels let go of taps and disks, taps of bridges. */
const ORDER: LedgerEntry["kind"][] = ["kernel", "tap", "bridge", "dir", "rule"];

export function ledgerDir(): string {
  return join(config().cacheDir, "uml", "live");
}

let written = 0;

/** Records `entry`; returns the handle that `forget` takes once it is removed. */
export function record(entry: LedgerEntry): string {
  mkdirSync(ledgerDir(), { recursive: true });
  const file = join(ledgerDir(), `${entry.pid}-${Date.now().toString(36)}-${++written}.json`);
  writeFileSync(file, JSON.stringify(entry));
  return file;
}

export function forget(handle: string): void {
  rmSync(handle, { force: true });
}

function quietly(command: string, args: string[]): void {
  try {
    execFileSync(command, args, { stdio: "ignore" });
  } catch {
    // Gone already.
  }
}

/** The ACCEPT that lets frames cross a bridge of ours past Docker's FORWARD policy of DROP. */
export function bridgeRule(bridge: string): string[] {
  return ["DOCKER-USER", "-i", bridge, "-o", bridge, "-j", "ACCEPT"];
}

/** The REJECT that ends at once what a lab network's bridge would send off it (lab-network.ts). */
export function rejectRule(bridge: string): string[] {
  return ["DOCKER-USER", "-i", bridge, "!", "-o", bridge, "-j", "REJECT"];
}

/** Removes one thing (synchronously: signal handlers use it). Gone already is fine. */
export function removeEntry(entry: LedgerEntry): void {
  switch (entry.kind) {
    case "kernel":
      // Its process group: a killed UML kernel leaves helper processes otherwise.
      try {
        process.kill(-entry.umlPid, "SIGKILL");
      } catch {
        // Gone already.
      }
      break;
    case "tap":
      quietly("ip", ["link", "del", entry.name]);
      break;
    case "bridge":
      quietly("ip", ["link", "del", entry.name]);
      quietly("iptables", ["-D", ...bridgeRule(entry.name)]);
      break;
    case "dir":
      rmSync(entry.name, { recursive: true, force: true });
      break;
    case "rule":
      quietly("iptables", ["-D", ...rejectRule(entry.name)]);
      break;
  }
}

function entries(): { file: string; entry: LedgerEntry }[] {
  if (!existsSync(ledgerDir())) return [];
  return readdirSync(ledgerDir())
    .filter((f) => f.endsWith(".json"))
    .flatMap((f) => {
      const file = join(ledgerDir(), f);
      try {
        return [{ file, entry: JSON.parse(readFileSync(file, "utf8")) as LedgerEntry }];
      } catch {
        return []; // Being written right now by a live run.
      }
    });
}

function removeAll(select: (entry: LedgerEntry) => boolean): number {
  const doomed = entries().filter(({ entry }) => select(entry));
  doomed.sort((a, b) => ORDER.indexOf(a.entry.kind) - ORDER.indexOf(b.entry.kind));
  for (const { file, entry } of doomed) {
    removeEntry(entry);
    forget(file);
  }
  return doomed.length;
}

/** What runs whose process is gone left behind; returns how many things went. */
export function sweepStaleUml(): number {
  return removeAll((e) => !processIsAlive(e.pid));
}

/** Everything this process made (Ctrl-C). */
export function removeThisProcessUml(): number {
  return removeAll((e) => e.pid === process.pid);
}

/**
 * What a cluster start abandoned by a timed-out step left outside the cluster pool:
 * a process holds one cluster at a time (cluster-pool.ts), so between clusters and at
 * the end anything of this process's is that.
 */
export function removeAbandonedUml(): void {
  const count = removeThisProcessUml();
  if (count > 0) progress(`removed ${count} UML kernels, links and disks an abandoned cluster start left`);
}

/** Everything of swarmnet's UML nodes, live runs' too (`npm run clean`). */
export function removeAllUml(): number {
  return removeAll(() => true);
}

/** What is recorded now, for the leftover check. */
export function recordedUml(): LedgerEntry[] {
  return entries().map((e) => e.entry);
}
