// HTTP from inside a namespace, with one definition of "answered": the status line
// is HTTP/1.0 or 1.1 200. Every HTTP check (reachability, which task answered, a
// client watching a change) uses the request below. Only addresses of containers
// the harness started are targets.
import { PROBE_ANSWER_TIMEOUT_S, PROBE_CONNECT_TIMEOUT_S } from "../run/limits.js";
import { ProbeError, checkHost, runProbeOk, type ProbeSource, type Target } from "./runner.js";

/** Seconds a large body may take to arrive whole (1 MB crosses an overlay in well under one). */
const BODY_TIMEOUT_S = 30;

/**
 * A shell line that makes one GET and prints "ok <last line of the body>" when it
 * was answered with 200, else "fail <why>": the first line nc printed (its error, or
 * another status line), or "no answer". The web workload answers "served-by <host>".
 */
export function httpGetShell({ host, port }: Target, path = "/"): string {
  checkHost(host);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new ProbeError(`${port} is not a TCP port.`);
  if (!/^\/[\w./-]*$/.test(path)) throw new ProbeError(`"${path}" is not a path a probe can ask for.`);
  const request =
    `printf 'GET ${path} HTTP/1.0\\r\\nHost: ${host}\\r\\n\\r\\n' | ` +
    `timeout ${PROBE_ANSWER_TIMEOUT_S} nc -w ${PROBE_CONNECT_TIMEOUT_S} ${host} ${port} 2>&1`;
  return `r=$(${request}); l=$(printf '%s\\n' "$r" | head -n 1); case "$l" in ("HTTP/1."[01]" 200"*) echo "ok $(printf '%s\\n' "$r" | tail -n 1)" ;; (*) echo "fail \${l:-no answer within ${PROBE_ANSWER_TIMEOUT_S} s}" ;; esac`;
}

export interface HttpResult {
  answered: boolean;
  /** Last line of the body when answered ("served-by my-web.1.xyz"). */
  body?: string;
  /** Why it failed, as the probe said it ("nc: bad address 'my-web'", "no answer"). */
  reason?: string;
}

/** Reads one "ok <body>" / "fail" line. */
export function parseHttpLine(line: string): HttpResult | undefined {
  const match = /^(ok|fail)(?: (.*))?$/.exec(line.trim());
  if (!match) return undefined;
  if (match[1] === "ok") return { answered: true, body: (match[2] ?? "").trim() };
  return match[2] ? { answered: false, reason: match[2].trim() } : { answered: false };
}

/** One request per target, all at once, each line prefixed with the target's index. */
export function reachabilityScript(targets: Target[], path = "/"): string {
  return [...targets.map((t, i) => `( echo "${i} $(${httpGetShell(t, path)})" ) &`), "wait"].join("\n");
}

/** The result of each of `count` targets in a reachabilityScript's output. */
export function parseGets(output: string, count: number): HttpResult[] {
  const results: (HttpResult | undefined)[] = Array.from({ length: count }, () => undefined);
  for (const line of output.split("\n")) {
    const match = /^(\d+) (.*)$/.exec(line);
    const result = match && parseHttpLine(match[2]);
    if (match && result) results[Number(match[1])] = result;
  }
  const missing = results.findIndex((r) => r === undefined);
  if (missing >= 0) throw new ProbeError(`The probe printed no result for target ${missing}:\n${output}`);
  return results as HttpResult[];
}

export function parseReachability(output: string, count: number): boolean[] {
  return parseGets(output, count).map((r) => r.answered);
}

/** What each target answered to a GET of `path` from `source`, all at once. */
export async function httpGets(source: ProbeSource, targets: Target[], path: string): Promise<HttpResult[]> {
  if (targets.length === 0) return [];
  return parseGets(await runProbeOk(source, reachabilityScript(targets, path)), targets.length);
}

/** Whether each target answers HTTP 200 from `source`. */
export async function httpReachability(source: ProbeSource, targets: Target[]): Promise<boolean[]> {
  return (await httpGets(source, targets, "/")).map((r) => r.answered);
}

/** `count` requests one after another: what each got (to see which task answered). */
export async function httpRequests(source: ProbeSource, target: Target, count: number): Promise<HttpResult[]> {
  const output = await runProbeOk(source, `for i in $(seq ${count}); do ${httpGetShell(target)}; done`);
  const results = output.split("\n").flatMap((line) => parseHttpLine(line) ?? []);
  if (results.length !== count) throw new ProbeError(`Expected ${count} results from ${source.label}, got:\n${output}`);
  return results;
}

/** The byte a body server's body is made of: no HTTP header busybox's httpd sends has it. */
const BODY_BYTE = "Q";

/** A task that serves `bytes` bytes at /body (in the probe image, busybox's httpd on port 80). */
export function bodyServer(bytes: number): string[] {
  if (!Number.isInteger(bytes) || bytes < 1) throw new ProbeError(`A body of ${bytes} bytes cannot be served.`);
  return [
    "sh",
    "-c",
    `mkdir -p /www && head -c ${bytes} /dev/zero | tr '\\0' ${BODY_BYTE} > /www/body && exec httpd -f -p 80 -h /www`,
  ];
}

/** How many bytes of a body server's body reached `source` from each target (0: none). */
export async function bodyBytesFrom(source: ProbeSource, targets: Target[]): Promise<number[]> {
  if (targets.length === 0) return [];
  const lines = targets.map(({ host, port }, i) => {
    checkHost(host);
    const get = `printf 'GET /body HTTP/1.0\\r\\nHost: ${host}\\r\\n\\r\\n'`;
    const fetch = `timeout ${BODY_TIMEOUT_S} nc -w ${PROBE_CONNECT_TIMEOUT_S} ${host} ${port} 2>/dev/null`;
    return `( echo "${i} $(${get} | ${fetch} | tr -cd ${BODY_BYTE} | wc -c)" ) &`;
  });
  const output = await runProbeOk(source, [...lines, "wait"].join("\n"));
  return targets.map((_, i) => {
    const match = new RegExp(`^${i} +(\\d+)$`, "m").exec(output);
    if (!match) throw new ProbeError(`The body probe printed no count for target ${i}:\n${output}`);
    return Number(match[1]);
  });
}
