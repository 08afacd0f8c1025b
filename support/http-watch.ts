// A client that keeps requesting a name over HTTP while something happens to the
// swarm (a drain, an update), and counts what was answered and what failed. It runs
// in the network namespace of a task on the client's node, as a probe container.
import { setTimeout as sleep } from "node:timers/promises";
import { IN_NODE_PROBE_IMAGE } from "./images/catalogue.js";
import { localTaskEndpoint } from "./endpoints.js";
import type { StartedSwarmNode } from "./swarm-node.js";

export interface HttpWatchResult {
  answered: number;
  failed: number;
}

export interface RunningHttpWatch {
  /** Lets the client go on for a fixed observation window (it measures; it is not a wait for readiness). */
  observeFor(ms: number): Promise<void>;
  /** Ends the client after its current request and counts its answers. */
  stop(): Promise<HttpWatchResult>;
}

export function watchScript(host: string, port: number): string {
  return [
    "while [ ! -e /swarmnet-stop ]; do",
    `  if printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 2 ${host} ${port} 2>/dev/null | head -n 1 | grep -q ' 200'; then echo ok; else echo fail; fi`,
    "  sleep 0.2",
    "done",
  ].join("\n");
}

export function countAnswers(log: string): HttpWatchResult {
  const lines = log.split("\n");
  return { answered: lines.filter((l) => l === "ok").length, failed: lines.filter((l) => l === "fail").length };
}

export async function watchHttp(node: StartedSwarmNode, service: string, host: string, port = 80): Promise<RunningHttpWatch> {
  const from = await localTaskEndpoint(node, service);
  const name = `swarmnet-watch-${Date.now()}`;
  await node.dockerOk(["run", "-d", "--name", name, "--network", `container:${from.container}`, IN_NODE_PROBE_IMAGE, "sh", "-c", watchScript(host, port)]);
  return {
    observeFor: (ms) => sleep(ms),
    async stop() {
      try {
        await node.dockerOk(["exec", name, "touch", "/swarmnet-stop"]);
        await node.dockerOk(["wait", name]);
        return countAnswers((await node.dockerOk(["logs", name])).stdout);
      } finally {
        await node.docker(["rm", "-f", name]);
      }
    },
  };
}
