// The lab network of a UML cluster: a bridge on this machine, host-only, with the
// subnet's .1 on it and a tap per node. Docker sets the FORWARD policy to DROP and
// br_netfilter sends bridged frames through it, so frames between the taps are
// dropped until an ACCEPT for this bridge goes into DOCKER-USER (PLATFORM.md §8).
import { existsSync } from "node:fs";
import { gatewayAddress, parseLabSubnet } from "../run/config.js";
import { bridgeRule, forget, record, removeEntry } from "./uml-ledger.js";
import { RecordedTap, UmlError, run } from "./uml-kernel.js";

/** swn<b|t><a.b.c in hex>: one name per subnet, within the 15 characters Linux allows. */
function deviceName(kind: "b" | "t", subnet: string, index?: number): string {
  const hex = parseLabSubnet(subnet)
    .map((o) => o.toString(16).padStart(2, "0"))
    .join("");
  return `swn${kind}${hex}${index ?? ""}`;
}

export class StartedUmlBridge {
  private constructor(
    readonly name: string,
    readonly subnet: string,
    private readonly handle: string,
  ) {}

  static async start(subnet: string): Promise<StartedUmlBridge> {
    const name = deviceName("b", subnet);
    if (existsSync(`/sys/class/net/${name}`)) {
      throw new UmlError(`Bridge ${name} for ${subnet} exists already: another run uses this subnet.`);
    }
    await run("ip", ["link", "add", name, "type", "bridge"], `creating bridge ${name}`);
    const bridge = new StartedUmlBridge(name, subnet, record({ kind: "bridge", pid: process.pid, name }));
    try {
      await run("ip", ["addr", "add", `${gatewayAddress(subnet)}/24`, "dev", name], `addressing ${name}`);
      await run("ip", ["link", "set", name, "up"], `bringing ${name} up`);
      await run("iptables", ["-I", ...bridgeRule(name)], `letting frames cross ${name} (DOCKER-USER)`);
    } catch (error) {
      bridge.remove();
      throw error;
    }
    return bridge;
  }

  /** The tap of node `index`, on this bridge. */
  plug(index: number): Promise<RecordedTap> {
    return RecordedTap.create(deviceName("t", this.subnet, index), this.name);
  }

  /** The node's cable pulled from its bridge port, or put back. */
  async setPlugged(tap: string, plugged: boolean): Promise<void> {
    const args = plugged ? ["master", this.name] : ["nomaster"];
    await run("ip", ["link", "set", tap, ...args], `${plugged ? "plugging" : "unplugging"} ${tap}`);
  }

  remove(): void {
    removeEntry({ kind: "bridge", pid: process.pid, name: this.name });
    forget(this.handle);
  }
}
