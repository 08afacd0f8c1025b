// What a namespace's interfaces look like from inside: the MTU of the interface
// that holds an address.
import { ProbeError, checkHost, runProbe, type ProbeSource } from "./runner.js";

/** The MTU of the interface that holds `address` in the source's namespace. */
export async function mtuOfAddress(source: ProbeSource, address: string): Promise<number> {
  checkHost(address);
  // From `ip` alone (netlink): an nsenter probe has no /sys of the namespace.
  const script =
    `for dev in $(ip -o -4 addr show | grep " ${address}/" | awk '{ print $2 }'); do ` +
    `ip -o link show dev "\${dev%@*}" | sed -n 's/.* mtu \\([0-9]*\\).*/\\1/p'; done; true`;
  const result = await runProbe(source, script);
  const mtu = Number(result.stdout.trim());
  if (result.exitCode !== 0 || !Number.isInteger(mtu) || mtu <= 0) {
    throw new ProbeError(
      `No interface with ${address} in ${source.label} (on ${source.node.name}): exit ${result.exitCode}, output "${result.stdout.trim()}" ${result.stderr.trim()}`,
    );
  }
  return mtu;
}
