// Probes with a stand-in node: what the probe container printed decides the answer,
// and a probe that could not run, or a resolver that did not answer, is an error.
import { describe, it } from "node:test";
import { expect } from "expect";
import type { CommandResult, StartedSwarmNode } from "../support/cluster/swarm-node.js";
import { resolveExpectingNothing, resolveName } from "../support/probes/dns.js";
import { brokenBounds, countAnswers, mergeWatchResults } from "../support/probes/http-watch.js";
import { httpGetShell, httpRequests, parseHttpLine, parseReachability } from "../support/probes/http.js";
import { ProbeError, runProbe, type ProbeSource } from "../support/probes/runner.js";

/** A source whose node answers every `docker run` with `result`, and records the commands. */
function sourceAnswering(result: CommandResult): { source: ProbeSource; commands: string[][] } {
  const commands: string[][] = [];
  const node = {
    name: "worker1",
    docker: async (args: string[]) => {
      commands.push(args);
      return result;
    },
  } as unknown as StartedSwarmNode;
  return { source: { label: "my-web.1", node, network: "container:abc" }, commands };
}

const FOUND =
  "Server:\t\t127.0.0.11\nAddress:\t127.0.0.11:53\n\nNon-authoritative answer:\nName:\ttasks.db\nAddress: 10.0.1.7\n";
const NXDOMAIN = "Server:\t\t127.0.0.11\nAddress:\t127.0.0.11:53\n\n** server can't find tasks.db: NXDOMAIN\n";

describe("DNS probe", () => {
  it("runs nslookup against the embedded server in the source's namespace", async () => {
    const { source, commands } = sourceAnswering({ exitCode: 0, stdout: FOUND, stderr: "" });
    expect(await resolveName(source, "tasks.db")).toEqual(["10.0.1.7"]);
    expect(commands[0].slice(0, 4)).toEqual(["run", "--rm", "--network", "container:abc"]);
    expect(commands[0].at(-1)).toBe("nslookup -type=a tasks.db 127.0.0.11");
  });

  it("reads NXDOMAIN as resolving to nothing", async () => {
    expect(
      await resolveName(sourceAnswering({ exitCode: 1, stdout: NXDOMAIN, stderr: "" }).source, "tasks.db"),
    ).toEqual([]);
  });

  it("fails when the resolver did not answer (a timeout is not a no)", async () => {
    const timedOut = { exitCode: 1, stdout: ";; connection timed out; no servers could be reached\n", stderr: "" };
    await expect(resolveName(sourceAnswering(timedOut).source, "tasks.db")).rejects.toThrow(ProbeError);
  });

  it("fails when the probe container cannot run (its image is missing)", async () => {
    const missing = { exitCode: 125, stdout: "", stderr: "Unable to find image 'swarmnet/probe:latest' locally" };
    await expect(resolveName(sourceAnswering(missing).source, "tasks.db")).rejects.toThrow(/could not run: exit 125/);
  });

  it("refuses names that would be shell code", async () => {
    await expect(
      resolveName(sourceAnswering({ exitCode: 0, stdout: "", stderr: "" }).source, "x; rm -rf /"),
    ).rejects.toThrow(ProbeError);
  });
});

describe("HTTP probe", () => {
  it("answered means a 200 status line; the body's last line says who answered", () => {
    expect(parseHttpLine("ok served-by my-web.1.abc")).toEqual({ answered: true, body: "served-by my-web.1.abc" });
    expect(parseHttpLine("fail")).toEqual({ answered: false });
    expect(parseHttpLine("fail nc: bad address 'my-web'")).toEqual({
      answered: false,
      reason: "nc: bad address 'my-web'",
    });
    expect(parseHttpLine("garbage")).toBeUndefined();
    expect(httpGetShell({ host: "10.0.1.3", port: 80 })).toContain('("HTTP/1."[01]" 200"*) echo "ok');
  });

  it("reads a result for every target, in target order, and fails on a missing one", () => {
    expect(parseReachability("1 fail\n0 ok served-by a\n", 2)).toEqual([true, false]);
    expect(() => parseReachability("0 ok served-by a\n", 2)).toThrow(/no result for target 1/);
  });

  it("counts what a watching client saw", () => {
    const log = [
      "2026-11-27T12:00:00.000000000Z ok served-by a",
      "2026-11-27T12:00:00.200000000Z fail no answer",
      "2026-11-27T12:00:02.400000000Z fail nc: bad address 'my-web'",
      "2026-11-27T12:00:03.100000000Z ok served-by b",
      "2026-11-27T12:00:03.300000000Z ok served-by a",
      "",
    ].join("\n");
    expect(countAnswers(log)).toEqual({
      answered: 3,
      failed: 2,
      longestOutageMs: 3100,
      longestFailureRun: 2,
      failedBeforeFirstAnswer: 0,
      longestOutageFrom: "2026-11-27T12:00:00.000000000Z",
      failureReasons: { "no answer": 1, "nc: bad address 'my-web'": 1 },
    });
    expect(countAnswers("2026-11-27T12:00:00Z ok a\n2026-11-27T12:00:01Z fail\n2026-11-27T12:00:05Z fail\n")).toEqual({
      answered: 1,
      failed: 2,
      longestOutageMs: 5000,
      longestFailureRun: 2,
      failedBeforeFirstAnswer: 0,
      longestOutageFrom: "2026-11-27T12:00:00Z",
      failureReasons: { "no reason given": 2 },
    });
    // A client new on its node: failures before its first answer are counted apart (and still in the outage).
    expect(countAnswers("2026-11-27T12:00:00Z fail\n2026-11-27T12:00:02Z fail\n2026-11-27T12:00:03Z ok a\n")).toEqual({
      answered: 1,
      failed: 2,
      longestOutageMs: 3000,
      longestFailureRun: 2,
      failedBeforeFirstAnswer: 2,
      longestOutageFrom: "2026-11-27T12:00:00Z",
      failureReasons: { "no reason given": 2 },
    });
  });
  it("fails when a request script did not run, instead of counting nothing", async () => {
    const { source } = sourceAnswering({ exitCode: 127, stdout: "", stderr: "sh: not found" });
    await expect(httpRequests(source, { host: "my-web", port: 80 }, 3)).rejects.toThrow(ProbeError);
  });

  it("passes the script's own exit code through when the probe ran", async () => {
    const { source } = sourceAnswering({ exitCode: 1, stdout: "", stderr: "" });
    expect((await runProbe(source, "false")).exitCode).toBe(1);
  });
});

describe("DNS absence check", () => {
  /** A source whose probe answers by the name asked. */
  function sourceByName(answers: Record<string, CommandResult>): ProbeSource {
    const node = {
      name: "worker1",
      docker: async (args: string[]) => answers[/nslookup -type=a (\S+)/.exec(args.at(-1) ?? "")?.[1] ?? ""],
    } as unknown as StartedSwarmNode;
    return { label: "my-web.1", node, network: "container:abc" };
  }
  const timeout = { exitCode: 1, stdout: ";; connection timed out; no servers could be reached\n", stderr: "" };
  const control = { exitCode: 0, stdout: FOUND.replaceAll("tasks.db", "my-web"), stderr: "" };

  it("takes NXDOMAIN as nothing", async () => {
    const source = sourceByName({ "tasks.db": { exitCode: 1, stdout: NXDOMAIN, stderr: "" } });
    expect(await resolveExpectingNothing(source, "tasks.db", "my-web")).toEqual({
      addresses: [],
      evidence: "NXDOMAIN",
    });
  });

  it("takes an unanswered forward as nothing only when the server answers for a name it holds", async () => {
    const up = sourceByName({ "tasks.db": timeout, "my-web": control });
    expect((await resolveExpectingNothing(up, "tasks.db", "my-web")).addresses).toEqual([]);
    const down = sourceByName({ "tasks.db": timeout, "my-web": timeout });
    await expect(resolveExpectingNothing(down, "tasks.db", "my-web")).rejects.toThrow(ProbeError);
  });

  it("reports the addresses of a name that exists (so 'resolves to nothing' fails)", async () => {
    const source = sourceByName({ "tasks.db": { exitCode: 0, stdout: FOUND, stderr: "" } });
    expect((await resolveExpectingNothing(source, "tasks.db", "my-web")).addresses).toEqual(["10.0.1.7"]);
  });
});

/** A client's log over `requests` requests 0.2 s apart, failing where `fails(i)` says. */
function clientLog(requests: number, fails: (i: number) => boolean): string {
  const start = Date.parse("2026-12-06T12:00:00Z");
  return Array.from({ length: requests }, (_, i) => {
    const at = new Date(start + i * 200).toISOString();
    return `${at} ${fails(i) ? "fail" : "ok served-by my-web.1.x"}`;
  }).join("\n");
}

describe("what a rolling change's clients must keep", () => {
  // The bounds rolling.feature states: outage under 10 s, at most 5 % failed.
  const bounds = { outageUnderMs: 10_000, maxFailedPercent: 5, minAnswersPerClient: 5 };
  const verdict = (logs: string[]) =>
    brokenBounds({ ...mergeWatchResults(logs.map(countAnswers)), clients: logs.length }, bounds);

  it("passes clients that lost a few requests now and then", () => {
    // As drained upgrades did: 9 of 663 failed (1.4 %), 8 of 607, 13 of 621 (2.1 %), in bursts of at most 2.4 s.
    const fails = new Set([100, 101, 102, 103, 104, 200, 250]);
    expect(verdict([clientLog(330, (i) => fails.has(i)), clientLog(330, (i) => i === 7 || i === 90)])).toEqual([]);
  });

  it("fails every other request failing, though no outage is long", () => {
    const log = clientLog(300, (i) => i % 2 === 1);
    expect(countAnswers(log).longestOutageMs).toBeLessThan(1000);
    expect(verdict([log]).join("\n")).toMatch(/150 of 300 requests failed \(50.0 %\), more than 5 %/);
  });

  it("fails a fifth of requests timing out at random, and a third failing on one dead backend", () => {
    let seed = 7;
    const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    expect(verdict([clientLog(400, () => random() < 0.2)]).join("\n")).toMatch(/requests failed/);
    const oneDeadOfThree = [0, 1, 2].map(() => clientLog(200, (i) => i % 3 === 0));
    expect(verdict(oneDeadOfThree).join("\n")).toMatch(/33.\d %\), more than 5 %/);
  });

  it("fails a long outage, and clients that barely ran", () => {
    expect(verdict([clientLog(300, (i) => i >= 10 && i < 70)]).join("\n")).toMatch(
      /longest outage 12.2 s, not under 10 s/,
    );
    expect(verdict([clientLog(4, () => false)])).toEqual([
      "4 answers from 1 client(s), fewer than the 5 needed to prove anything",
    ]);
    expect(brokenBounds({ ...mergeWatchResults([]), clients: 0 }, bounds)).toContain("no client watched");
  });
});
