// One way to look from inside a network namespace: a probe container (busybox)
// started on the node with --network container:<id> (a task's or a container's
// namespace) or --network host (the node's own). A probe that could not run is a
// ProbeError, never an answer: a negative check must have looked.
import type { CommandResult, StartedSwarmNode } from "../cluster/swarm-node.js";
import { IN_NODE_PROBE_IMAGE } from "../host/images/catalogue.js";
import { config, type ProbeMode } from "../run/config.js";
import { SwarmnetError } from "../run/errors.js";

/** Where a probe looks from. */
export interface ProbeSource {
  /** How scenarios name it: "my-web.1", "my-web@worker1", "outsider", "manager1 host network". */
  label: string;
  node: StartedSwarmNode;
  /** The probe's --network: "container:<id>" or "host". */
  network: string;
}

/** Where a probe sends traffic: a host name or address, and a port. */
export interface Target {
  host: string;
  port: number;
}

export class ProbeError extends SwarmnetError {}

export function inContainer(label: string, node: StartedSwarmNode, container: string): ProbeSource {
  return { label, node, network: `container:${container}` };
}

export function onHostNetwork(node: StartedSwarmNode): ProbeSource {
  return { label: `${node.name} host network`, node, network: "host" };
}

/** `docker run` itself failed (125: the daemon refused, e.g. a missing image; 126/127: the command cannot run). */
const PROBE_DID_NOT_RUN = new Set([125, 126, 127]);

function where(source: ProbeSource): string {
  return `${source.label} (on ${source.node.name})`;
}

/** Hosts and ports go into a shell line: only plain names, addresses and numbers. */
export function checkHost(host: string): string {
  if (!/^[A-Za-z0-9][\w.:-]*$/.test(host))
    throw new ProbeError(`"${host}" is not a host name or address a probe can use.`);
  return host;
}

/** `docker run` of the probe image in the source's namespace, running `script` (with `runOptions` such as --rm). */
function runProbeContainer(source: ProbeSource, runOptions: string[], script: string): Promise<CommandResult> {
  return source.node.docker([
    "run",
    ...runOptions,
    "--network",
    source.network,
    IN_NODE_PROBE_IMAGE,
    "sh",
    "-c",
    script,
  ]);
}

/** Where a node holds the probe image's files for nsenter probes. */
const PROBE_ROOT = "/opt/swarmnet-probe";

const unpacked = new WeakMap<StartedSwarmNode, Promise<unknown>>();

/**
 * The probe image's files, unpacked once per node container, with the resolver every
 * container on a user network has (Docker's embedded DNS, in whichever namespace the
 * probe enters).
 */
function unpackProbe(node: StartedSwarmNode): Promise<unknown> {
  let done = unpacked.get(node);
  if (!done) {
    const staging = `${PROBE_ROOT}.$$`;
    done = node.shOk(
      `[ -x ${PROBE_ROOT}/bin/sh ] && exit 0; c=$(docker create ${IN_NODE_PROBE_IMAGE}) && mkdir -p ${staging} && ` +
        `docker export "$c" | tar -x -C ${staging} && docker rm "$c" >/dev/null && mkdir -p ${staging}/etc ${staging}/dev && ` +
        // An image's export has no device nodes; the shell's redirections need /dev/null.
        `mknod -m 666 ${staging}/dev/null c 1 3 && ` +
        `printf 'nameserver 127.0.0.11\\noptions ndots:0\\n' > ${staging}/etc/resolv.conf && mv ${staging} ${PROBE_ROOT}`,
    );
    done.catch(() => unpacked.delete(node));
    unpacked.set(node, done);
  }
  return done;
}

/**
 * Runs `script` with the probe image's tools in the source's network namespace,
 * entered from the node: no container is created. Exit 125 when the namespace's
 * container is not running (as `docker run` says when it cannot start).
 */
async function nsenterProbe(source: ProbeSource, script: string): Promise<CommandResult> {
  await unpackProbe(source.node);
  const container = source.network.startsWith("container:") ? source.network.slice("container:".length) : undefined;
  if (!container && source.network !== "host")
    throw new ProbeError(
      `A probe entered by nsenter needs a container's or the node's namespace, not ${where(source)}.`,
    );
  const findNetns = container
    ? `pid=$(docker inspect --format '{{.State.Pid}}' ${checkHost(container)}) && [ "$pid" -gt 0 ] && ` +
      `[ -e /proc/$pid/ns/net ] || { echo "swarmnet: container ${container} is not running" >&2; exit 125; }; ` +
      `netns=/proc/$pid/ns/net`
    : "netns=/proc/1/ns/net";
  return source.node.run([
    "sh",
    "-c",
    `${findNetns}; exec nsenter --net=$netns chroot ${PROBE_ROOT} /bin/sh -c "$0"`,
    script,
  ]);
}

const PROBE_RUNS: Record<ProbeMode, (source: ProbeSource, script: string) => Promise<CommandResult>> = {
  container: (source, script) => runProbeContainer(source, ["--rm"], script),
  nsenter: nsenterProbe,
};

/** Runs `script` in the source's namespace; the exit code is the script's. */
export async function runProbe(
  source: ProbeSource,
  script: string,
  mode: ProbeMode = config().probes,
): Promise<CommandResult> {
  const result = await PROBE_RUNS[mode](source, script);
  if (PROBE_DID_NOT_RUN.has(result.exitCode)) {
    throw new ProbeError(
      `The probe in ${where(source)} could not run: exit ${result.exitCode}\n${result.stderr}${result.stdout}`,
    );
  }
  return result;
}

/** Like runProbe, and the script must succeed. */
export async function runProbeOk(source: ProbeSource, script: string): Promise<string> {
  const result = await runProbe(source, script);
  if (result.exitCode !== 0) {
    throw new ProbeError(
      `The probe in ${where(source)} failed: exit ${result.exitCode}\n${result.stderr}${result.stdout}`,
    );
  }
  return result.stdout;
}

/**
 * A probe left running in the background (a watching client); stop() ends it and
 * returns its output, each line prefixed with the time Docker logged it.
 */
export interface BackgroundProbe {
  stop(): Promise<string>;
}

/** The background probe ends when /swarmnet-stop exists in it. */
export const STOP_FILE = "/swarmnet-stop";

async function hasStopFile(node: StartedSwarmNode, container: string): Promise<boolean> {
  return (await node.docker(["cp", `${container}:${STOP_FILE}`, "-"])).exitCode === 0;
}

export async function startBackgroundProbe(
  source: ProbeSource,
  name: string,
  script: string,
): Promise<BackgroundProbe> {
  const { node } = source;
  const started = await runProbeContainer(source, ["-d", "--name", name], script);
  if (started.exitCode !== 0) {
    await node.docker(["rm", "-f", name]);
    throw new ProbeError(
      `The background probe in ${where(source)} could not start: exit ${started.exitCode}\n${started.stderr}`,
    );
  }
  return {
    async stop() {
      try {
        const stopping = await node.docker(["exec", name, "touch", STOP_FILE]);
        // On a slow kernel the probe can see the file and exit before `docker exec` has
        // reported back, and the exec then ends 137 although the touch happened (seen on
        // UML, with the probe's last line saying it stopped on request). The file in the
        // container's filesystem tells: a container no longer running cannot be exec'd into.
        if (stopping.exitCode !== 0 && !(await hasStopFile(node, name))) {
          // It ended before it was asked to: say how, with what it printed last.
          const state = await node.docker(["inspect", "--format", "{{json .State}}", name]);
          const logs = await node.docker(["logs", "--tail", "5", name]);
          throw new ProbeError(
            `The background probe in ${where(source)} was no longer running when asked to stop ` +
              `(docker exec: exit ${stopping.exitCode} ${stopping.stderr.trim()}).\n` +
              `State: ${state.stdout.trim() || state.stderr.trim()}\nLast lines: ${logs.stdout}${logs.stderr}`,
          );
        }
        await node.dockerOk(["wait", name]);
        return (await node.dockerOk(["logs", "--timestamps", name])).stdout;
      } finally {
        await node.docker(["rm", "-f", name]);
      }
    },
  };
}
