// UDP from inside a namespace, with the probe's socat (busybox's nc has no UDP):
// asking an echo service and reading its reply, and sending a datagram as it is.
import { PROBE_CONNECT_TIMEOUT_S } from "../run/limits.js";
import { printfOctal } from "../text/vxlan-frame.js";
import { ProbeError, checkHost, runProbeOk, type ProbeSource, type Target } from "./runner.js";

/**
 * The command a UDP echo server runs (in the probe image): it answers "pong <name>",
 * its hostname unless a name is given (on a node's host network, the hostname is the node's).
 */
export function udpEchoServer(port: number, name = "$(hostname)"): string[] {
  return ["socat", `UDP-RECVFROM:${port},fork`, `SYSTEM:echo pong ${name}`];
}

/** The reply of a UDP echo server, as udpEchoServer makes it. */
export function pongFrom(name: string): string {
  return `pong ${name}`;
}

/**
 * A task that answers both protocols (in the probe image): busybox httpd on TCP 80,
 * and UDP echo on `udpPort`. Both name the task, so a reply says who answered.
 */
export function httpAndUdpEchoServer(udpPort: number): string[] {
  const page = `mkdir -p /www && echo "served-by $(hostname)" > /www/index.html && httpd -p 80 -h /www`;
  return [
    "sh",
    "-c",
    `${page} && exec ${udpEchoServer(udpPort)
      .map((w) => `'${w}'`)
      .join(" ")}`,
  ];
}

/** The command a UDP listener runs (in the probe image): every datagram it gets goes to its log. */
export function udpListener(port: number): string[] {
  return ["socat", "-u", `UDP-RECV:${port}`, "STDOUT"];
}

/** One "ping" per target, all at once: the reply of each, or undefined where none came. */
export async function udpEchoes(source: ProbeSource, targets: Target[]): Promise<(string | undefined)[]> {
  if (targets.length === 0) return [];
  const lines = targets.map(
    (t, i) =>
      `( echo "${i} $(echo ping | socat -T ${PROBE_CONNECT_TIMEOUT_S} - UDP:${checkHost(t.host)}:${t.port} 2>/dev/null | head -n 1)" ) &`,
  );
  const output = await runProbeOk(source, [...lines, "wait"].join("\n"));
  return targets.map((_, i) => {
    const match = new RegExp(`^${i} ?(.*)$`, "m").exec(output);
    if (!match) throw new ProbeError(`The UDP probe printed no result for target ${i}:\n${output}`);
    return match[1].trim() || undefined;
  });
}

/** Sends `bytes` as one UDP datagram to host:port from the source's namespace. */
export async function sendDatagram(source: ProbeSource, host: string, port: number, bytes: Buffer): Promise<void> {
  await runProbeOk(source, `printf '${printfOctal(bytes)}' | socat -u - UDP:${checkHost(host)}:${port}`);
}
