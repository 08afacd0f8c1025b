// A client that keeps requesting a name over HTTP while a step changes the swarm:
// what it counted goes into the World for "every request of the client was answered".
import { watchHttp } from "../support/probes/http-watch.js";
import type { ProbeSource } from "../support/probes/runner.js";
import { PORTS } from "../support/run/limits.js";
import { formatSeconds } from "../support/run/log.js";
import type { SwarmWorld } from "./world.js";

/** How long the client keeps watching after the change has converged: it must see the new tasks answer too. */
const AFTER_CONVERGENCE_MS = 3000;

export async function watchWhile(
  world: SwarmWorld,
  client: ProbeSource,
  host: string,
  change: () => Promise<void>,
): Promise<void> {
  const watch = await watchHttp(client, { host, port: PORTS.http });
  try {
    await change();
    await watch.observeFor(AFTER_CONVERGENCE_MS);
  } finally {
    world.memory.remember("watched HTTP", await watch.stop());
  }
  const seen = world.memory.recall("watched HTTP");
  world.observe({
    kind: "timing",
    what: `longest outage of HTTP to ${host}`,
    seconds: seen.longestOutageMs / 1000,
  });
  world.log(
    `HTTP to ${host} from ${client.label}: ${seen.answered} answered, ${seen.failed} failed, ` +
      `longest outage ${formatSeconds(seen.longestOutageMs)}`,
  );
}
