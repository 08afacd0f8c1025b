// Real traffic from inside a container's network namespace: a probe container
// (busybox) joins the namespace with --network container:<id> and connects or
// resolves from there. Only addresses of containers the harness started are targets.
import { IN_NODE_PROBE_IMAGE } from "./images/catalogue.js";
import type { StartedSwarmNode } from "./swarm-node.js";

/** Where traffic starts: a container (task or standalone) on a node. */
export interface TrafficSource {
  label: string;
  node: StartedSwarmNode;
  container: string;
}

export interface TrafficTarget {
  label: string;
  host: string;
  port: number;
}

const CONNECT_TIMEOUT_S = 2;

/** One shell line per target, run in parallel, each printing "<index> ok|fail". */
export function httpProbeScript(targets: TrafficTarget[]): string {
  const checks = targets.map(
    (t, i) =>
      `(printf 'GET / HTTP/1.0\\r\\nHost: ${t.host}\\r\\n\\r\\n' | nc -w ${CONNECT_TIMEOUT_S} ${t.host} ${t.port} 2>/dev/null | head -n 1 | grep -q '^HTTP/1\\.[01] 200' && echo "${i} ok" || echo "${i} fail") &`,
  );
  return [...checks, "wait"].join("\n");
}

export function parseProbeResults(output: string, count: number): boolean[] {
  const results: (boolean | undefined)[] = Array.from({ length: count }, () => undefined);
  for (const match of output.matchAll(/^(\d+) (ok|fail)$/gm)) results[Number(match[1])] = match[2] === "ok";
  const missing = results.findIndex((r) => r === undefined);
  if (missing >= 0) throw new Error(`The probe printed no result for target ${missing}:\n${output}`);
  return results as boolean[];
}

async function runProbe(source: TrafficSource, command: string[]): Promise<string> {
  const result = await source.node.docker(["run", "--rm", "--network", `container:${source.container}`, IN_NODE_PROBE_IMAGE, ...command]);
  if (result.exitCode !== 0) {
    throw new Error(`The probe in ${source.label} (on ${source.node.name}) failed: exit ${result.exitCode}\n${result.stderr}${result.stdout}`);
  }
  return result.stdout;
}

/** Whether each target answers HTTP 200 from `source`. */
export async function httpReachability(source: TrafficSource, targets: TrafficTarget[]): Promise<boolean[]> {
  if (targets.length === 0) return [];
  return parseProbeResults(await runProbe(source, ["sh", "-c", httpProbeScript(targets)]), targets.length);
}

/** The response bodies of `count` HTTP requests to `host` (e.g. to see which task answered). */
export async function httpResponses(source: TrafficSource, host: string, port: number, count: number): Promise<string[]> {
  const script = `for i in $(seq ${count}); do printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w ${CONNECT_TIMEOUT_S} ${host} ${port} | tail -n 1; done`;
  return (await runProbe(source, ["sh", "-c", script])).split("\n").filter(Boolean);
}

/** busybox nslookup prints "Name: x" / "Address: y" pairs after the server's own lines. */
export function parseNslookup(output: string): string[] {
  const answers = output.split(/Non-authoritative answer:|Name:/).slice(1).join("\n");
  return [...new Set([...answers.matchAll(/^Address:\s*([0-9.]+)\s*$/gm)].map((m) => m[1]))].sort();
}

/** The IPv4 addresses `name` resolves to through Docker's embedded DNS (127.0.0.11). */
export async function resolveName(source: TrafficSource, name: string): Promise<string[]> {
  const result = await source.node.docker(["run", "--rm", "--network", `container:${source.container}`, IN_NODE_PROBE_IMAGE, "nslookup", "-type=a", name, "127.0.0.11"]);
  // nslookup exits 1 for NXDOMAIN: that is an answer (no addresses), not a failure.
  return parseNslookup(result.stdout);
}
