// The lab network: a bridge on the outer daemon standing in for the tutorial's
// Vagrant host-only network (192.168.33.0/24): what a node sends to an address off it
// is refused at the bridge, never sent out of this machine. Nodes get fixed addresses
// on it.
import { execa } from "execa";
import { gatewayAddress } from "../run/config.js";
import { ignoreNotFound } from "../run/errors.js";
import { progress } from "../run/log.js";
import { outerDocker } from "./docker-host.js";
import { RUN_ID, runLabels } from "./labels.js";
import { StartedLabDns } from "./lab-dns.js";
import { forget, record, rejectRule, removeEntry, type LedgerEntry } from "./uml-ledger.js";

let counter = 0;

export class StartedLabNetwork {
  constructor(
    readonly name: string,
    /** The ledger's record of the bridge's REJECT rule, where one could be made. */
    private readonly rule?: LedgerEntry & { handle: string },
    /** Where nodes and tasks ask for names (the gateway), where it could be started. */
    readonly dns?: { server: string; stop: () => void },
  ) {}

  /** Attaches a running container at a fixed address. */
  async connect(containerId: string, address: string): Promise<void> {
    await outerDocker()
      .getNetwork(this.name)
      .connect({ Container: containerId, EndpointConfig: { IPAMConfig: { IPv4Address: address } } });
  }

  async disconnect(containerId: string): Promise<void> {
    await outerDocker().getNetwork(this.name).disconnect({ Container: containerId, Force: true });
  }

  async remove(): Promise<void> {
    this.dns?.stop();
    await outerDocker().getNetwork(this.name).remove().catch(ignoreNotFound);
    if (this.rule) {
      removeEntry(this.rule);
      forget(this.rule.handle);
    }
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.remove();
  }
}

let rejectUnavailable = false;

/**
 * A REJECT in DOCKER-USER for what enters from the bridge and would leave by another
 * interface, recorded in the ledger: a probe to an address no node has (another
 * overlay's task, seen from outside it) is refused here, not sent out of this machine
 * by the outer daemon's masquerade (docs/known-issues.md). Not `--internal`: its
 * embedded DNS lets every lookup of an outside name wait 20 s for nothing. Undefined
 * (said once) where iptables cannot add it, e.g. without root.
 */
async function rejectLeaving(bridge: string): Promise<(LedgerEntry & { handle: string }) | undefined> {
  const entry: LedgerEntry = { kind: "rule", pid: process.pid, name: bridge };
  const handle = record(entry);
  const added = await execa("iptables", ["-I", ...rejectRule(bridge)], { reject: false, all: true });
  if (added.exitCode === 0) return { ...entry, handle };
  forget(handle);
  if (!rejectUnavailable)
    progress(
      `WARNING: cannot add a REJECT for ${bridge} to DOCKER-USER (${String(added.all).trim()}): ` +
        "traffic from the nodes to addresses off the lab network is not stopped (run as root)",
    );
  rejectUnavailable = true;
  return undefined;
}

export async function startLabNetwork(subnet: string): Promise<StartedLabNetwork> {
  const name = `swarmnet-lab-${RUN_ID}-${++counter}`;
  let id: string;
  try {
    ({ id } = await outerDocker().createNetwork({
      Name: name,
      Driver: "bridge",
      CheckDuplicate: true,
      Labels: runLabels(),
      IPAM: { Driver: "default", Config: [{ Subnet: subnet, Gateway: gatewayAddress(subnet) }] },
    }));
  } catch (error) {
    throw new Error(
      `Cannot create the lab network ${subnet}: ${error instanceof Error ? error.message : String(error)}\n` +
        "If another network already uses that range, pick a free one with SWARMNET_LAB_SUBNET (e.g. 192.168.43.0/24; a data network takes the third octet + 100), " +
        "or remove leftovers of swarmnet with 'npm run clean'.",
      { cause: error },
    );
  }
  // Docker names a bridge network's device br-<the first 12 of its id>.
  const rule = await rejectLeaving(`br-${id.slice(0, 12)}`);
  const server = gatewayAddress(subnet);
  const dns = await StartedLabDns.start(server).then(
    (started) => ({ server, stop: () => started.close() }),
    (error: unknown) => {
      progress(`no name server on ${server}:53 (${String(error)}): lookups in the nodes go to this machine's`);
      return undefined;
    },
  );
  return new StartedLabNetwork(name, rule, dns);
}
