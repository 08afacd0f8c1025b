// A node's Docker state (/var/lib/docker: images, the swarm's raft log and
// certificates, the network and IPAM database) on a labelled volume of the outer
// daemon, so that it outlives the node's container: an in-place upgrade starts
// another engine's image on the same volume, as `apt upgrade` restarts dockerd on
// the same disk. A volume is a directory on the outer daemon's disk, not an overlay
// mount, so the inner daemon gets overlay2 on it.
import { ignoreNotFound } from "../run/errors.js";
import { outerDocker } from "./docker-host.js";
import { RUN_ID, runLabels } from "./labels.js";

export const NODE_STATE_PATH = "/var/lib/docker";

export interface NodeStateVolume {
  name: string;
  remove(): Promise<void>;
}

let created = 0;

export async function createNodeStateVolume(node: string): Promise<NodeStateVolume> {
  created += 1;
  const name = `swarmnet-${node}-${RUN_ID}-state${created}`;
  await outerDocker().createVolume({ Name: name, Labels: { ...runLabels(), "io.swarmnet.node": node } });
  return {
    name,
    remove: () =>
      outerDocker()
        .getVolume(name)
        .remove({ force: true })
        .catch((error: unknown) => ignoreNotFound(error)),
  };
}
