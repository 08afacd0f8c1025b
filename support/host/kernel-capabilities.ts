// What the outer daemon's kernel can carry, found by a real probe: IPVS (service
// VIPs, the ingress routing mesh) and ESP (encrypted overlays).
import { outerDocker } from "./docker-host.js";
import { containerLogTail } from "./container-logs.js";
import { runLabels } from "./labels.js";

export interface KernelCapabilities {
  ipvs: boolean;
  esp: boolean;
}

export const SKIP_REASONS = {
  ipvs: "kernel lacks IP_VS: service VIPs and the ingress routing mesh cannot carry traffic here",
  esp: "kernel lacks INET_ESP: encrypted overlay traffic cannot flow here",
} as const;

// Runs in a fresh network namespace of the outer daemon's kernel. IPVS registers
// net/ipv4/vs sysctls in every namespace; adding an ESP state fails without ESP.
export const PROBE_SCRIPT = [
  "if [ -d /proc/sys/net/ipv4/vs ] || [ -e /proc/net/ip_vs ]; then echo ipvs=yes; else echo ipvs=no; fi",
  "if ip xfrm state add src 192.0.2.1 dst 192.0.2.2 proto esp spi 0x1000 mode transport " +
    "enc 'cbc(aes)' 0x00112233445566778899aabbccddeeff 2>/tmp/esp.err; then echo esp=yes; " +
    "else echo esp=no; cat /tmp/esp.err; fi",
].join("\n");

export function parseProbeOutput(output: string): KernelCapabilities {
  const answer = (key: string): boolean => {
    const match = new RegExp(`^${key}=(yes|no)$`, "m").exec(output);
    if (!match) throw new Error(`kernel probe printed no ${key}= line:\n${output}`);
    return match[1] === "yes";
  };
  return { ipvs: answer("ipvs"), esp: answer("esp") };
}

/** Tags that need a capability this kernel lacks, with the reason to report. */
export function skipReason(tags: readonly string[], caps: KernelCapabilities): string | undefined {
  const missing = (["ipvs", "esp"] as const).filter((need) => tags.includes(`@${need}`) && !caps[need]);
  return missing.length === 0 ? undefined : missing.map((m) => SKIP_REASONS[m]).join("; ");
}

/** Runs the probe in a throwaway container of `image` (which has iproute2). */
export async function probeKernel(image: string): Promise<KernelCapabilities> {
  const docker = outerDocker();
  const container = await docker.createContainer({
    Image: image,
    Entrypoint: ["sh", "-c", PROBE_SCRIPT],
    Labels: runLabels(),
    HostConfig: { CapAdd: ["NET_ADMIN"] },
  });
  try {
    await container.start();
    await container.wait();
    return parseProbeOutput(await containerLogTail(container.id));
  } finally {
    await container.remove({ force: true }).catch(() => undefined);
  }
}
