// HTTP reachability between endpoints named as scenarios name them ("my-web@worker1",
// "client"): one look, each name resolved once and one probe per source for all its
// targets, as a truth table of expected against observed.
import { httpReachability } from "../probes/http.js";
import type { TruthRow } from "../text/truth-table.js";
import { addressOf } from "./endpoints.js";
import type { Swarm } from "./swarm.js";

export interface ReachabilityClaim {
  from: string;
  to: string;
  expected: boolean;
}

export async function observeReachability(
  swarm: Swarm,
  claims: readonly ReachabilityClaim[],
  port: number,
): Promise<TruthRow[]> {
  const labels = [...new Set(claims.flatMap((r) => [r.from, r.to]))];
  const endpoints = new Map(await Promise.all(labels.map(async (l) => [l, await swarm.endpoint(l)] as const)));
  const endpoint = (label: string) => {
    const found = endpoints.get(label);
    if (!found) throw new Error(`no endpoint ${label} was looked up`);
    return found;
  };
  const observed = new Map<ReachabilityClaim, boolean>();
  for (const from of new Set(claims.map((r) => r.from))) {
    const mine = claims.filter((r) => r.from === from);
    const answers = await httpReachability(
      endpoint(from),
      mine.map((r) => ({ host: addressOf(endpoint(r.to)), port })),
    );
    mine.forEach((r, i) => observed.set(r, answers[i]));
  }
  return claims.map((r) => ({ ...r, observed: observed.get(r) ?? false }));
}
