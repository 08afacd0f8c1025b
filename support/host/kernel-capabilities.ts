// What the outer daemon's kernel can carry, found by a real probe: IPVS (service
// VIPs, the ingress routing mesh) and ESP (encrypted overlays). A capability built
// as a module but not loaded is told apart from one the kernel lacks, and loaded
// from this machine where it may (the outer daemon is local and we are root).
import { release } from "node:os";
import { execa } from "execa";
import { progress } from "../run/log.js";
import { runToEnd } from "./container-logs.js";
import { ESP_TAG, IPVS_TAG, MACHINE_TAG } from "../run/tags.js";

export interface KernelCapabilities {
  ipvs: boolean;
  esp: boolean;
  /** Whether iptables-nft can make a nat chain (not on UML's 6.1 kernel): else nodes need iptables-legacy. */
  nftNat: boolean;
  /** `uname -r` of the outer daemon's kernel. */
  release: string;
  /** "host" or "UML": the outer daemon's kernel, or the UML kernel every node boots. */
  kind: "host" | "UML";
}

export type Capability = "ipvs" | "esp";

export const SKIP_REASONS: Record<Capability, string> = {
  ipvs: "kernel lacks IP_VS: service VIPs and the ingress routing mesh cannot carry traffic here",
  esp: "kernel lacks INET_ESP: encrypted overlay traffic cannot flow here",
};

/** Modules that give each capability (the scheduler and the xfrm netlink interface included). */
export const MODULES: Record<Capability, string[]> = { ipvs: ["ip_vs", "ip_vs_rr"], esp: ["esp4", "xfrm_user"] };

// Runs in a fresh network namespace of the outer daemon's kernel. IPVS registers
// net/ipv4/vs sysctls in every namespace; adding an ESP state fails without ESP;
// dockerd's first iptables call makes a nat chain.
export const PROBE_SCRIPT = [
  "if iptables-nft -t nat -N SWARMNET-PROBE 2>/dev/null; then echo nft_nat=yes; else echo nft_nat=no; fi",
  "echo release=$(uname -r)",
  "if [ -d /proc/sys/net/ipv4/vs ] || [ -e /proc/net/ip_vs ]; then echo ipvs=yes; else echo ipvs=no; fi",
  "if ip xfrm state add src 192.0.2.1 dst 192.0.2.2 proto esp spi 0x1000 mode transport " +
    "enc 'cbc(aes)' 0x00112233445566778899aabbccddeeff 2>/tmp/esp.err; then echo esp=yes; " +
    "else echo esp=no; cat /tmp/esp.err; fi",
].join("\n");

export function parseProbeOutput(output: string): Omit<KernelCapabilities, "kind"> {
  const answer = (key: string): boolean => {
    const match = new RegExp(`^${key}=(yes|no)$`, "m").exec(output);
    if (!match) throw new Error(`kernel probe printed no ${key}= line:\n${output}`);
    return match[1] === "yes";
  };
  return {
    ipvs: answer("ipvs"),
    esp: answer("esp"),
    nftNat: answer("nft_nat"),
    release: /^release=(.*)$/m.exec(output)?.[1]?.trim() ?? "unknown",
  };
}

export function describeKernel(caps: KernelCapabilities): string {
  const state = (c: Capability) => (caps[c] ? "present" : "ABSENT");
  const nft = caps.nftNat ? "iptables-nft works" : "iptables-nft cannot make a nat chain";
  return `${caps.kind} ${caps.release} (IPVS ${state("ipvs")}, ESP ${state("esp")}, ${nft})`;
}

/** The capabilities a scenario's tags need that this kernel lacks. */
export function missingFor(tags: readonly string[], caps: KernelCapabilities): Capability[] {
  return (["ipvs", "esp"] as const).filter(
    (need) => tags.includes(need === "ipvs" ? IPVS_TAG : ESP_TAG) && !caps[need],
  );
}

export const MACHINE_SKIP_REASON =
  "needs nodes that are machines of their own (UML kernels): a container cannot lose power or reboot";

/** Tags that need a capability this run's nodes lack, with the reason to report. */
export function skipReason(tags: readonly string[], caps: KernelCapabilities): string | undefined {
  const reasons = missingFor(tags, caps).map((m) => SKIP_REASONS[m]);
  if (tags.includes(MACHINE_TAG) && caps.kind !== "UML") reasons.push(MACHINE_SKIP_REASON);
  return reasons.length === 0 ? undefined : reasons.join("; ");
}

/** Runs the probe in a throwaway container of `image` (which has iproute2). */
async function probeOnce(image: string): Promise<Omit<KernelCapabilities, "kind">> {
  const { output } = await runToEnd(image, ["sh", "-c", PROBE_SCRIPT], { CapAdd: ["NET_ADMIN"] });
  return parseProbeOutput(output);
}

/** Whether this machine's kernel has `module` built as a loadable module. */
async function moduleAvailable(module: string): Promise<boolean> {
  return (await execa("modinfo", ["-F", "filename", module], { reject: false })).exitCode === 0;
}

/**
 * Probes the kernel; where a capability is missing but this machine's kernel (the
 * same one, for a local daemon) has it as a module, loads it (as root) and probes again.
 */
export async function probeKernel(image: string): Promise<KernelCapabilities> {
  const kind = "host";
  let caps = await probeOnce(image);
  const missing = (["ipvs", "esp"] as const).filter((c) => !caps[c]);
  if (missing.length > 0 && caps.release === release()) {
    for (const capability of missing) {
      const modules = MODULES[capability];
      const available = (await Promise.all(modules.map(moduleAvailable))).every(Boolean);
      if (!available) {
        progress(
          `kernel ${caps.release}: ${capability.toUpperCase()} is not built in and not available as a module (${modules.join(", ")})`,
        );
        continue;
      }
      const loaded = await execa("modprobe", ["-a", ...modules], { reject: false, all: true });
      progress(
        loaded.exitCode === 0
          ? `kernel ${caps.release}: ${capability.toUpperCase()} was a module not loaded; loaded ${modules.join(", ")}`
          : `kernel ${caps.release}: ${capability.toUpperCase()} is a module not loaded, and loading it failed: ${String(loaded.all).trim()}`,
      );
    }
    caps = await probeOnce(image);
  }
  return { ...caps, kind };
}
