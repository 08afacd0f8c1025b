import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { expect } from "expect";
import { loadEngineTable, parseEngineTable } from "../support/run/engines.js";
import { loadUpgradePaths, parseUpgradePaths } from "../support/run/upgrades.js";
import { networkFacts, virtualIpChanges, type SwarmRecord } from "../support/swarm/swarm-record.js";
import type { NetworkInspect } from "../support/swarm/network-view.js";
import { compareVersions } from "../support/text/engine-version.js";

/** The rows of the first Examples table of a feature file. */
function examplesRows(feature: string): Record<string, string>[] {
  const lines = feature.split("\n");
  const start = lines.findIndex((l) => l.trim() === "Examples:");
  const after = lines.slice(start + 1).map((l) => l.trim());
  const end = after.findIndex((l, i) => i > 0 && !l.startsWith("|"));
  const rows = after
    .slice(0, end < 0 ? undefined : end)
    .filter((l) => l.startsWith("|"))
    .map((l) =>
      l
        .split("|")
        .slice(1, -1)
        .map((c) => c.trim()),
    );
  const [header, ...body] = rows;
  return body.map((cells) => Object.fromEntries(header.map((h, i) => [h, cells[i]])));
}

describe("upgrade paths", () => {
  it("are the rows of the in-place upgrade feature, and every one names known engine lines", () => {
    const paths = loadUpgradePaths(loadEngineTable());
    const feature = readFileSync(new URL("../features/upgrade/in-place.feature", import.meta.url), "utf8");
    expect(examplesRows(feature)).toEqual(paths);
  });

  it("refuses an unknown engine, naming the path", () => {
    const engines = parseEngineTable({ default: "20.10", engines: { "20.10": { suite: "b", packages: "p" } } });
    expect(() => parseUpgradePaths({ paths: [{ from: "20.10", to: "99.1" }] }, engines, "u.json")).toThrow(
      /u.json: path 1: .*Unknown engine "99.1"/,
    );
    expect(() => parseUpgradePaths({ paths: [] }, engines, "u.json")).toThrow(/"paths" list/);
  });
});

describe("engine versions", () => {
  it("compare by their numbers, not as text", () => {
    expect(compareVersions("20.10.5+dfsg1", "20.10.24+dfsg1")).toBeLessThan(0);
    expect(compareVersions("28.5.2+dfsg4", "26.1.5+dfsg1")).toBeGreaterThan(0);
    expect(compareVersions("26.1.5", "26.1.5+dfsg1")).toBe(0);
  });
});

describe("what an upgrade must keep", () => {
  const view = (gateway: string): NetworkInspect => ({
    Name: "custom-net",
    Id: "abc",
    Scope: "swarm",
    Driver: "overlay",
    IPAM: { Config: [{ Subnet: "10.20.0.0/24", Gateway: gateway }] },
    Containers: null,
    Options: { "com.docker.network.driver.overlay.vxlanid_list": "4098", encrypted: "" },
    Attachable: true,
  });

  it("reads a network's identity and addressing", () => {
    expect(networkFacts(view("10.20.0.254"))).toEqual({
      Id: "abc",
      Driver: "overlay",
      Subnet: "10.20.0.0/24",
      Gateway: "10.20.0.254",
      IPRange: "",
      "VXLAN id": "4098",
      encrypted: "true",
      Internal: "false",
      Attachable: "true",
      Ingress: "false",
    });
  });

  const record = (vip: string, address: string, task = "my-web.1.aaaaaaaaaaaaaaaaaaaaaaaaa"): SwarmRecord => ({
    networks: {},
    virtualIps: { "my-web": [`net1 ${vip}`] },
    taskAddresses: { [task]: [`plain-net ${address}`] },
  });

  it("names a changed VIP", () => {
    const before = record("10.0.1.2", "10.0.1.3");
    expect(virtualIpChanges(before, record("10.0.1.2", "10.0.1.3"))).toEqual([]);
    expect(virtualIpChanges(before, record("10.0.1.9", "10.0.1.3"))).toEqual([
      "service my-web: VIPs were net1 10.0.1.2, are net1 10.0.1.9",
    ]);
  });
});

describe("the matrix's upgrade table", () => {
  it("lists each upgrade scenario with its versions, nodes, status per run and what changed", async () => {
    const { upgradeRows } = await import("../support/report/upgrades.js");
    const scenario = "features/upgrade/in-place.feature: 20.10 to 26.1: networks survive";
    const run = (engine: string, status: "passed" | "failed") => ({
      engine,
      seconds: 1,
      exitCode: 0,
      scenarios: [
        {
          scenario,
          status,
          seconds: 1,
          attempts: 1,
          logged: [],
          observed: [
            {
              step: "When",
              observation: {
                kind: "upgrade" as const,
                node: "manager1",
                from: "20.10.24+dfsg1",
                to: "26.1.5+dfsg1",
                downSeconds: 3.2,
                readySeconds: 0.4,
              },
            },
            {
              step: "When",
              observation: {
                kind: "upgrade" as const,
                node: "worker1",
                from: "20.10.24+dfsg1",
                to: "26.1.5+dfsg1",
                downSeconds: 2.9,
                readySeconds: 1.0,
              },
            },
            {
              step: "Then",
              observation: {
                kind: "comparison" as const,
                what: "7 networks on 3 nodes",
                changes: ["custom-net on worker1: Gateway was 10.20.0.254, is 10.20.0.1"],
              },
            },
          ],
        },
        { scenario: "features/catalogue/dns.feature: x", status, seconds: 1, attempts: 1, logged: [], observed: [] },
      ],
    });
    expect(upgradeRows([run("20.10", "failed"), run("26.1", "passed")])).toEqual([
      {
        scenario,
        from: ["20.10.24+dfsg1"],
        to: ["26.1.5+dfsg1"],
        status: { "20.10": "failed", "26.1": "passed" },
        nodes: ["manager1: down 3.2 s, Ready 0.4 s after", "worker1: down 2.9 s, Ready 1.0 s after"],
        observed: ["7 networks on 3 nodes: changed; custom-net on worker1: Gateway was 10.20.0.254, is 10.20.0.1"],
      },
    ]);
  });
});

describe("by-engine rows", () => {
  it("take the longest engine line that fits the version a node runs", async () => {
    const { rowForEngine } = await import("../steps/tables.js");
    const rows = [
      { engine: "20.10.5", text: "a" },
      { engine: "20.10", text: "b" },
      { engine: "28.5", text: "c" },
    ];
    expect(rowForEngine(rows, "20.10.5+dfsg1", "n").text).toBe("a");
    expect(rowForEngine(rows, "20.10.24+dfsg1", "n").text).toBe("b");
    expect(rowForEngine(rows.slice(1), "20.10.5+dfsg1", "n").text).toBe("b");
    expect(() => rowForEngine(rows, "26.1.5+dfsg1", "worker1")).toThrow(
      /No row for engine 26.1.5\+dfsg1 \(what worker1 runs\)/,
    );
  });
});
