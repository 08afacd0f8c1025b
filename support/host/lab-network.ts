// The lab network: a bridge on the outer daemon standing in for the tutorial's
// Vagrant host-only network (192.168.33.0/24), with no way out (internal). Nodes get
// fixed addresses on it.
import { gatewayAddress } from "../run/config.js";
import { ignoreNotFound } from "../run/errors.js";
import { outerDocker } from "./docker-host.js";
import { RUN_ID, runLabels } from "./labels.js";

let counter = 0;

export class StartedLabNetwork {
  constructor(readonly name: string) {}

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
    await outerDocker().getNetwork(this.name).remove().catch(ignoreNotFound);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.remove();
  }
}

export async function startLabNetwork(subnet: string): Promise<StartedLabNetwork> {
  const name = `swarmnet-lab-${RUN_ID}-${++counter}`;
  try {
    await outerDocker().createNetwork({
      Name: name,
      Driver: "bridge",
      // Host-only, as the tutorial's Vagrant network: a probe to an address no node has
      // (another overlay's task, seen from outside it) must end here, never leave the
      // machine by the outer daemon's masquerade (docs/known-issues.md).
      Internal: true,
      CheckDuplicate: true,
      Labels: runLabels(),
      IPAM: { Driver: "default", Config: [{ Subnet: subnet, Gateway: gatewayAddress(subnet) }] },
    });
  } catch (error) {
    throw new Error(
      `Cannot create the lab network ${subnet}: ${error instanceof Error ? error.message : String(error)}\n` +
        "If another network already uses that range, pick a free one with SWARMNET_LAB_SUBNET (e.g. 192.168.43.0/24; a data network takes the third octet + 100), " +
        "or remove leftovers of swarmnet with 'npm run clean'.",
      { cause: error },
    );
  }
  return new StartedLabNetwork(name);
}
