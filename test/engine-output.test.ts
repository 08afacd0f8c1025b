// Parsers against what each engine line really printed (test/fixtures/<engine>/,
// recorded by scripts/capture-fixtures.ts from a 1-manager, 1-worker swarm with an
// overlay "my-network" and a 2-replica service "my-web").
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { expect } from "expect";
import { isBackgroundEvent } from "../support/cluster/cluster-activity.js";
import { saysNotFound } from "../support/run/errors.js";
import type { NetworkInspect } from "../support/swarm/network-view.js";
import { endpointsOf, subnetOf, vxlanIdOf } from "../support/swarm/network-view.js";
import { parseDockerTable } from "../support/text/docker-table.js";
import { describeNodeList, isRunning, parseNodeList, parseServicePs } from "../support/text/docker-json.js";
import {
  fdbDestinations,
  learnedFdbEntries,
  parseAddressDevices,
  parseEspBytes,
  parseFdbEntries,
  parseVxlanDevices,
} from "../support/text/ip-output.js";
import { parseNslookup } from "../support/text/nslookup.js";

const ENGINES = ["20.10.5", "20.10", "26.1", "28.5"];
const read = (engine: string, name: string) =>
  readFileSync(new URL(`fixtures/${engine}/${name}`, import.meta.url), "utf8");

/** "exit N\n<output>" as the capture script saves a probe's result. */
function probeOutput(engine: string, name: string): [number, string] {
  const [first, ...rest] = read(engine, name).split("\n");
  return [Number(first.replace("exit ", "")), rest.join("\n")];
}

for (const engine of ENGINES) {
  // "20.10.5+dfsg1" and "20.10.24+dfsg1" both start with a line's name, then "." or "+".
  const line = engine.replace(/\./g, "\\.") + "[.+]";
  describe(`engine ${engine} output`, () => {
    it("node ls JSON: both nodes, manager Leader and Self, on this engine", () => {
      const nodes = parseNodeList(read(engine, "node-ls.json-lines"));
      expect(nodes.map((n) => [n.Hostname, n.Status, n.ManagerStatus, n.Self])).toEqual([
        ["manager1", "Ready", "Leader", true],
        ["worker1", "Ready", "", false],
      ]);
      expect(nodes.every((n) => new RegExp(`^${line}`).test(n.EngineVersion))).toBe(true);
      expect(describeNodeList(nodes)).toEqual([
        expect.stringMatching(new RegExp(`^manager1 \\(\\w{12}\\) Ready, Active, Leader, ${line}`)),
        expect.stringMatching(new RegExp(`^worker1 \\(\\w{12}\\) Ready, Active, ${line}`)),
      ]);
    });

    it("node ls table: columns found by their headings, the Self marker kept in ID", () => {
      const rows = parseDockerTable(read(engine, "node-ls.table"));
      expect(rows.map((r) => [r.HOSTNAME, r.STATUS, r["MANAGER STATUS"]])).toEqual([
        ["manager1", "Ready", "Leader"],
        ["worker1", "Ready", ""],
      ]);
      expect(rows[0]["ENGINE VERSION"]).toMatch(new RegExp(`^${line}`));
    });

    it("network ls table: the default networks and the overlay", () => {
      const rows = parseDockerTable(read(engine, "network-ls.table"));
      expect(rows.map((r) => `${r.NAME} ${r.DRIVER} ${r.SCOPE}`).sort()).toEqual([
        "bridge bridge local",
        "docker_gwbridge bridge local",
        "host host local",
        "ingress overlay swarm",
        "my-network overlay swarm",
        "none null local",
      ]);
    });

    it("service ps JSON: two running slots with their container names and no error", () => {
      const tasks = parseServicePs(read(engine, "service-ps.json-lines"));
      expect(tasks.map((t) => t.name).sort()).toEqual(["my-web.1", "my-web.2"]);
      expect(tasks.every(isRunning)).toBe(true);
      expect(tasks.map((t) => t.error)).toEqual(["", ""]);
      expect(tasks.every((t) => t.containerName === `${t.name}.${t.id}` && t.id.length === 25)).toBe(true);
    });

    it("network inspect: the first overlay's subnet, VXLAN id, and endpoints with addresses", () => {
      const [view] = JSON.parse(read(engine, "network-inspect-overlay.json")) as NetworkInspect[];
      expect([subnetOf(view), vxlanIdOf(view), view.Scope, view.Driver]).toEqual([
        "10.0.1.0/24",
        4097,
        "swarm",
        "overlay",
      ]);
      const endpoints = endpointsOf(new Map([["manager1", view]]));
      expect(endpoints.some((e) => e.key === "lb-my-network" && e.name === "my-network-endpoint")).toBe(true);
      expect(endpoints.every((e) => /^10\.0\.1\.\d+$/.test(e.address))).toBe(true);
    });

    it("ingress on a worker: 10.0.0.0/24, VXLAN 4096, the ingress-sbox endpoint", () => {
      const [view] = JSON.parse(read(engine, "network-inspect-ingress.json")) as NetworkInspect[];
      expect([subnetOf(view), vxlanIdOf(view), view.Ingress]).toEqual(["10.0.0.0/24", 4096, true]);
      expect(Object.keys(view.Containers ?? {})).toContain("ingress-sbox");
    });

    it("missing network and service errors read as not found", () => {
      expect(saysNotFound(read(engine, "network-inspect-missing.stderr"))).toBe(true);
      expect(saysNotFound(read(engine, "service-ps-missing.stderr"))).toBe(true);
    });

    it("nslookup: addresses, NXDOMAIN as an empty answer, an unreachable server as no answer", () => {
      expect(parseNslookup(...probeOutput(engine, "nslookup-found.txt"))).toEqual({
        answered: true,
        addresses: [expect.stringMatching(/^10\.0\.1\.\d+$/), expect.stringMatching(/^10\.0\.1\.\d+$/)],
      });
      expect(parseNslookup(...probeOutput(engine, "nslookup-nxdomain.txt"))).toEqual({ answered: true, addresses: [] });
      expect(parseNslookup(...probeOutput(engine, "nslookup-no-server.txt"))).toMatchObject({ answered: false });
    });

    it("the overlay's VXLAN device: id 4097, port 4789", () => {
      expect(parseVxlanDevices(read(engine, "vxlan-devices.json")).map((d) => [d.id, d.port])).toEqual([[4097, 4789]]);
    });

    it("the manager's addresses by device, and the overlay's forwarding entries: the worker's VTEP", () => {
      const devices = parseAddressDevices(read(engine, "addresses.json"));
      expect(devices["127.0.0.1"]).toBe("lo");
      expect(Object.entries(devices).filter(([address]) => address.endsWith(".10"))).toEqual([
        [expect.stringMatching(/^192\.168\.\d+\.10$/), "eth0"],
      ]);
      const vxlan = parseVxlanDevices(read(engine, "vxlan-devices.json")).map((d) => d.name);
      const fdb = parseFdbEntries(read(engine, "fdb.json"));
      expect(fdbDestinations(fdb, vxlan)).toEqual([expect.stringMatching(/^192\.168\.\d+\.11$/)]);
      // Docker installs its entries; whatever the bridge learned from the probes' traffic is not permanent.
      for (const mac of learnedFdbEntries(fdb, vxlan)) expect(fdb.find((e) => e.mac === mac)?.state).toBe("");
    });

    it("no ESP associations on an unencrypted swarm", () => {
      expect(parseEspBytes(read(engine, "xfrm-state.txt"))).toEqual([]);
    });

    it("events of creating the overlay and service count as activity", () => {
      const events = read(engine, "events.txt").split("\n").filter(Boolean);
      expect(events.filter((e) => !isBackgroundEvent(e))).toContain("network create my-network");
      expect(events.some((e) => e.startsWith("service create my-web"))).toBe(true);
    });
  });
}

describe("ESP security associations, as a UML 6.1 node with an encrypted overlay printed them", () => {
  const text = readFileSync(new URL("fixtures/esp/xfrm-state-carrying.txt", import.meta.url), "utf8");

  it("reads every association's byte count", () => {
    expect(parseEspBytes(text)).toEqual([0, 0, 0, 0, 0, 0, 584, 452]);
  });

  it("fails on an association whose byte count it cannot read, instead of reading 0", () => {
    const cut = text.replace("584(bytes), 5(packets)", "(bytes unreadable)");
    expect(() => parseEspBytes(cut)).toThrow(/no byte count that could be read/);
  });
});
