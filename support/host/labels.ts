// Every container and network swarmnet creates on the outer daemon carries these
// labels, so that cleanup finds exactly ours and never a user's.
import { hostname } from "node:os";
import { isMainThread, threadId } from "node:worker_threads";

export const LABEL_MANAGED = "io.swarmnet.managed";
export const LABEL_RUN = "io.swarmnet.run";
export const LABEL_PID = "io.swarmnet.pid";
export const LABEL_HOST = "io.swarmnet.host";

/**
 * One id per harness instance. cucumber 12 runs each worker as a process; should a
 * worker ever be a thread (cucumber 13 can run them so), the thread id keeps two
 * workers of one process apart. The pid label still says whether the run is alive.
 */
export const RUN_ID = `${process.pid}-${threadId}-${Date.now().toString(36)}`;

/** Signals reach only a process's main thread: a worker thread cannot clean up on Ctrl-C. */
export const RECEIVES_SIGNALS = isMainThread;

export function runLabels(): Record<string, string> {
  return {
    [LABEL_MANAGED]: "true",
    [LABEL_RUN]: RUN_ID,
    [LABEL_PID]: String(process.pid),
    [LABEL_HOST]: hostname(),
  };
}

export interface LabelledResource {
  id: string;
  labels: Record<string, string> | undefined;
}

/**
 * Which of our resources belong to runs that are over: made on this host by a
 * process that no longer exists. Resources of live runs (a parallel worker, another
 * terminal) and of other hosts sharing the daemon are left alone.
 */
export function selectStale<T extends LabelledResource>(
  resources: T[],
  isAlive: (pid: number) => boolean,
  thisHost: string = hostname(),
): T[] {
  return resources.filter(({ labels }) => {
    if (labels?.[LABEL_MANAGED] !== "true") return false;
    if (labels[LABEL_HOST] !== thisHost) return false;
    const pid = Number(labels[LABEL_PID]);
    return !Number.isInteger(pid) || pid <= 0 || !isAlive(pid);
  });
}

export function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
