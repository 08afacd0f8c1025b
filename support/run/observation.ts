// What a step attaches for the tools (the summary, the profile, the engine matrix and
// its upgrade table) beside the line it logs for people. The tools read these, never
// the log text, so rewording a log line cannot change a report.

/** The media type of an observation attachment in cucumber's message stream. */
export const OBSERVATION_MEDIA_TYPE = "application/vnd.swarmnet.observation+json";

/** A node as the scenario was handed it: its daemon's own version, and what it is. */
export interface NodeSeen {
  name: string;
  address: string;
  /** As the daemon reports it, e.g. "20.10.24+dfsg1". */
  engine: string;
  /** "container" or "UML 6.1.176". */
  kind: string;
  /** Where the engine came from: "Debian trixie's docker.io docker-cli", "static tarball … (sha256 …)". */
  origin?: string;
}

export type Observation =
  /** The cluster a scenario was handed, how (fresh, reused, reset) and in how long. */
  | {
      kind: "cluster";
      handOver: string;
      seconds: number;
      labSubnet: string;
      /** The data network beside the lab, for clusters that carry VXLAN on a second interface. */
      dataSubnet: string;
      nodes: NodeSeen[];
    }
  /** Why a scenario did not run. */
  | { kind: "skip"; reason: string }
  /** One node's engine changed in place. */
  | {
      kind: "upgrade";
      node: string;
      from: string;
      to: string;
      downSeconds: number;
      readySeconds: number;
      /** Docker held the node Down after its new daemon registered; its daemon was restarted once. */
      restartedWhileDown?: boolean;
    }
  /** What was recorded before a change, compared after it: nothing in `changes` is unchanged. */
  | { kind: "comparison"; what: string; changes: string[] }
  /** How long something took, e.g. a recovery counted from the scenario's last change. */
  | { kind: "timing"; what: string; seconds: number };

export type ObservationKind = Observation["kind"];
export type ObservationOf<K extends ObservationKind> = Extract<Observation, { kind: K }>;

/** An attachment's body as an observation, or an error that says what is wrong with it. */
export function parseObservation(body: string): Observation {
  const value = JSON.parse(body) as Partial<Observation>;
  const kinds: ObservationKind[] = ["cluster", "skip", "upgrade", "comparison", "timing"];
  if (typeof value?.kind !== "string" || !kinds.includes(value.kind))
    throw new Error(`not a swarmnet observation (kind ${JSON.stringify(value?.kind)}): ${body.slice(0, 200)}`);
  return value as Observation;
}
