// What a namespace's interfaces look like from inside: the MTU of the interface
// that holds an address.
import { ProbeError, checkHost, runProbe, type ProbeSource } from "./runner.js";

/** The MTU of the interface that holds `address` in the source's namespace. */
export async function mtuOfAddress(source: ProbeSource, address: string): Promise<number> {
  checkHost(address);
  const script = `for i in /sys/class/net/*; do ip -o -4 addr show dev "\${i##*/}" | grep -q " ${address}/" && cat "$i/mtu"; done; true`;
  const result = await runProbe(source, script);
  const mtu = Number(result.stdout.trim());
  if (result.exitCode !== 0 || !Number.isInteger(mtu) || mtu <= 0) {
    throw new ProbeError(
      `No interface with ${address} in ${source.label} (on ${source.node.name}): exit ${result.exitCode}, output "${result.stdout.trim()}" ${result.stderr.trim()}`,
    );
  }
  return mtu;
}
