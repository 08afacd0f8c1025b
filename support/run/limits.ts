// Named deadlines, polling intervals, log tail lengths and ports. Deadlines are
// scaled by SWARMNET_TIMEOUT_SCALE where they are used (run/poll.ts).

/** How long to wait for things that happen by themselves, in milliseconds. */
export const DEADLINE_MS = {
  /** A node's inner dockerd answers after the container starts. */
  daemonStart: 60_000,
  /** A dockerd stopped gracefully (before an upgrade) has exited: it stops its containers first. */
  daemonStop: 60_000,
  /** A node upgraded in place shows Ready on its new engine in `docker node ls`. */
  upgradedNodeReady: 90_000,
  /** A node upgraded in place, listed Down on its new engine this long, gets its daemon restarted (1-2 s is usual). */
  upgradedNodeDown: 45_000,
  /** Every node's gossip lists every other node again (networkdb rejoins every 60 s). */
  gossip: 120_000,
  /** A dockerd restarted inside its node answers again. */
  daemonRestart: 20_000,
  /** Every node of a swarm is Ready in `docker node ls`. */
  readyNodes: 60_000,
  /** A service's tasks are Running. */
  runningTasks: 60_000,
  /** A swarm converges on what a step expects (default of `eventually`). */
  convergence: 30_000,
  /** Tasks placed after a drain or an update. */
  placement: 90_000,
  /** A removed ingress is gone from the manager (over 30 s on 20.10.5 UML nodes: docs/known-issues.md). */
  ingressRemoval: 90_000,
  /** A replaced node's old entry shows Down. */
  replacedNodeDown: 60_000,
  /** An HTTP reachability table settles (a table step without its own deadline). */
  reachability: 60_000,
  /**
   * A command in a node answers (any command: its own waits are shorter). Below the
   * default step timeout (5 min), so that a hung command fails naming itself and the
   * step's own clean-up still runs.
   */
  nodeCommand: 240_000,
  /** A node answers `true` after a command of it went unanswered (the two stay below the step timeout). */
  nodeLiveness: 20_000,
  /** A bridge forgets what it learned: the kernel's ageing time (300 s) after the last packet, and some. */
  learnedEntriesAgeing: 420_000,
} as const;

/** Steps that may outlast the default step timeout (5 min, steps/hooks.ts), scaled like it. */
export const STEP_TIMEOUT_MS = {
  /** Waiting for the kernel to forget learned entries: its deadline and a minute. */
  learnedEntriesAgeing: DEADLINE_MS.learnedEntriesAgeing + 60_000,
  /** Ten cycles of scaling a service to 0 and back and force-updating it, on a busy machine. */
  churn: 900_000,
  /** A swarm upgraded in place, one node at a time (each drained, its engine swapped, back and gossiping). */
  rollingUpgrade: 600_000,
} as const;

export const INTERVAL_MS = {
  /** Cheap reads (a daemon's version, `node ls`). */
  fast: 200,
  /** Default between samples. */
  normal: 250,
  /** Probes that start containers. */
  probe: 1000,
  /** Waiting minutes for the kernel to forget: a sample every few seconds is plenty. */
  ageing: 5000,
} as const;

/** Lines of a node's daemon log shown when something fails. */
export const LOG_TAIL_LINES = {
  nodeStartFailure: 30,
  daemonRestartFailure: 25,
  diagnostics: 40,
  /** Where a step looks for a line (an allocator error, a failed bind): a daemon logs much else. */
  searched: 2000,
} as const;

export const PORTS = {
  /** The web workload (nginx stand-in) listens here. */
  http: 80,
  /** Swarm cluster management (raft, joins). */
  swarmManagement: 2377,
  /** Swarm gossip (memberlist), TCP and UDP. */
  gossip: 7946,
  /** VXLAN data path, unless `swarm init --data-path-port` says otherwise. */
  vxlanDefault: 4789,
} as const;

/** Seconds a probe's nc waits for a connection (busybox's `nc -w` bounds only that). */
export const PROBE_CONNECT_TIMEOUT_S = 2;
/**
 * Seconds an HTTP probe waits for the answer once connected: a socket that accepts and
 * never answers (dockerd's own hold on a published port, with the mesh's rules gone)
 * is "no answer", not a probe that hangs until its command's deadline.
 */
export const PROBE_ANSWER_TIMEOUT_S = 10;
