// Whether anything happened to a cluster since it was handed to a scenario. A
// scenario that only looked (inspect, ls, probes with `docker exec`) leaves a
// cluster as fresh as it found it, and the pool can skip the reset. Evidence:
// each daemon's event log since the hand-over, the daemon's pid (a restarted
// daemon has lost its event log) and the swarm object's version (token rotation
// and `swarm update` emit no event).
import { joinedCommands, splitOutputs } from "../text/joined-outputs.js";
import type { StartedSwarmCluster } from "./swarm-cluster.js";
import type { StartedSwarmNode } from "./swarm-node.js";

export interface ActivityMark {
  /** Seconds since the epoch; nodes share the host's clock. */
  since: number;
  daemons: Map<string, string>;
}

/**
 * Events that are not a scenario's doing: exec probes, and ingress and
 * docker_gwbridge appearing on a node in the seconds after it is Ready.
 */
export function isBackgroundEvent(event: string): boolean {
  const [type, action = "", name = ""] = event.split(" ");
  if (type === "container" && action.startsWith("exec_")) return true;
  return (
    type === "network" &&
    (name === "ingress" || name === "docker_gwbridge") &&
    (action === "create" || action === "connect")
  );
}

/** A shell command printing the daemon's pid and, on a manager of a swarm, the swarm object's version. */
function daemonIdentityCommand(node: StartedSwarmNode, initialised: boolean): string {
  const swarmVersion =
    initialised && node.spec.role === "manager" ? " && docker info --format '{{.Swarm.Cluster.Version.Index}}'" : "";
  return `echo $(cat /var/run/docker.pid)${swarmVersion}`;
}

async function daemonIdentity(node: StartedSwarmNode, initialised: boolean): Promise<string> {
  return (await node.shOk(daemonIdentityCommand(node, initialised))).stdout.trim();
}

export async function markActivity(cluster: StartedSwarmCluster): Promise<ActivityMark> {
  const initialised = cluster.shape.initialised;
  const daemons = new Map(
    await Promise.all(cluster.nodes.map(async (n) => [n.name, await daemonIdentity(n, initialised)] as const)),
  );
  return { since: Date.now() / 1000, daemons };
}

/** What happened since the mark, one line per thing ("worker1: service create my-web"); empty if nothing. */
export async function activitySince(cluster: StartedSwarmCluster, mark: ActivityMark): Promise<string[]> {
  const until = Date.now() / 1000;
  const initialised = cluster.shape.initialised;
  const perNode = await Promise.all(
    cluster.nodes.map(async (node) => {
      // One exec for both (execs are dear on the UML kernel host).
      const { stdout } = await node.shOk(
        joinedCommands([
          daemonIdentityCommand(node, initialised),
          `docker events --since ${mark.since.toFixed(3)} --until ${until.toFixed(3)} ` +
            `--format '{{.Type}} {{.Action}} {{.Actor.Attributes.name}}'`,
        ]),
      );
      const [identity, events] = splitOutputs(stdout, 2);
      if (identity.join("\n") !== mark.daemons.get(node.name))
        return [`${node.name}: daemon restarted or swarm changed`];
      return events.filter((e) => !isBackgroundEvent(e)).map((e) => `${node.name}: ${e}`);
    }),
  );
  return perNode.flat();
}
