// Removal of what swarmnet created on the outer daemon: at start (leftovers of dead
// runs), on SIGINT/SIGTERM (this run), and on demand (`npm run clean`: all of ours).
import type Docker from "dockerode";
import { ignoreNotFound } from "../run/errors.js";
import { progress } from "../run/log.js";
import { outerDocker } from "./docker-host.js";
import { removeThisProcessUml } from "./uml-ledger.js";
import {
  LABEL_MANAGED,
  LABEL_RUN,
  RECEIVES_SIGNALS,
  RUN_ID,
  processIsAlive,
  selectStale,
  type LabelledResource,
} from "./labels.js";

type Selector = (resources: LabelledResource[]) => LabelledResource[];

export interface RemovalCount {
  containers: number;
  networks: number;
  volumes: number;
}

/** Gone already, or being removed by another cleanup (409). */
const ignoreGoneOrGoing = (error: unknown) => ignoreNotFound(error, { alsoConflict: true });

async function removeSelected(docker: Docker, select: Selector): Promise<RemovalCount> {
  const filters = JSON.stringify({ label: [`${LABEL_MANAGED}=true`] });
  const containers = (await docker.listContainers({ all: true, filters })).map((c) => ({ id: c.Id, labels: c.Labels }));
  const doomed = select(containers);
  // Containers first: a network cannot go while something is attached to it.
  await Promise.all(
    doomed.map((c) => docker.getContainer(c.id).remove({ force: true, v: true }).catch(ignoreGoneOrGoing)),
  );
  const networks = (await docker.listNetworks({ filters })).map((n) => ({ id: n.Id, labels: n.Labels }));
  const doomedNetworks = select(networks);
  await Promise.all(doomedNetworks.map((n) => docker.getNetwork(n.id).remove().catch(ignoreGoneOrGoing)));
  const volumes = ((await docker.listVolumes({ filters })).Volumes ?? []).map((v) => ({
    id: v.Name,
    labels: v.Labels,
  }));
  const doomedVolumes = select(volumes);
  await Promise.all(doomedVolumes.map((v) => docker.getVolume(v.id).remove({ force: true }).catch(ignoreGoneOrGoing)));
  return { containers: doomed.length, networks: doomedNetworks.length, volumes: doomedVolumes.length };
}

function describe(count: RemovalCount): string {
  return `${count.containers} containers, ${count.networks} networks, ${count.volumes} volumes`;
}

/** Leftovers of runs on this host whose process is gone (a crash, a kill -9). */
export async function sweepStaleRuns(): Promise<RemovalCount> {
  const count = await removeSelected(outerDocker(), (r) => selectStale(r, processIsAlive));
  if (count.containers + count.networks + count.volumes > 0) {
    progress(`removed leftovers of earlier runs: ${describe(count)}`);
  }
  return count;
}

/** Everything this process created. */
export function removeThisRun(): Promise<RemovalCount> {
  return removeSelected(outerDocker(), (r) => r.filter((x) => x.labels?.[LABEL_RUN] === RUN_ID));
}

/** Everything of swarmnet's, whoever made it; nothing unlabelled. */
export async function removeEverythingOurs(): Promise<RemovalCount> {
  const count = await removeSelected(outerDocker(), (r) => r);
  progress(`removed ${describe(count)}`);
  return count;
}

let handlersInstalled = false;

/** Removes this run's containers and networks, then exits with `exitCode`. */
function removeThisRunAndExit(why: string, exitCode: number): void {
  progress(`${why}: removing this run's containers and networks...`);
  const uml = removeThisProcessUml();
  if (uml > 0) progress(`removed ${uml} UML kernels, taps, bridges and disks`);
  removeThisRun()
    .then((count) => progress(`removed ${describe(count)}`))
    .catch((error: unknown) => progress(`cleanup (${why}) failed: ${String(error)}; run 'npm run clean'`))
    .finally(() => process.exit(exitCode));
}

/**
 * On Ctrl-C or SIGTERM, remove this run's containers and networks before exiting.
 * Scenarios in flight are abandoned: the report for them is not written.
 */
export function removeThisRunOnSignals(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  // A worker thread never sees the signal; its leftovers are swept by the next run
  // (its pid is then gone) and by ci/check-no-leftovers.sh. cucumber 12 uses processes.
  if (!RECEIVES_SIGNALS) return;
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.once(signal, () =>
      removeThisRunAndExit(signal, 128 + ({ SIGINT: 2, SIGTERM: 15, SIGHUP: 1 } as const)[signal]),
    );
  }
  // A cucumber worker process is told to finish and exits by itself; its channel
  // closes first only when the coordinator died without passing a signal on (a
  // SIGTERM to it alone left a worker's clusters behind).
  if (process.send) process.once("disconnect", () => removeThisRunAndExit("cucumber's coordinator is gone", 1));
}
