import { describe, it } from "node:test";
import { expect } from "expect";
import { sourcesWithoutPositive } from "../support/text/truth-table.js";
import { expandPlaceholders, splitWords } from "../support/text/command-line.js";
import { parseDockerTable } from "../support/text/docker-table.js";
import { inIpv6Subnet, ipv6ToBigInt } from "../support/text/ipv6.js";
import {
  parseAddressDevices,
  fdbDestinations,
  learnedFdbEntries,
  parseFdbEntries,
  parseOutputDeviceCounts,
} from "../support/text/ip-output.js";
import { parseNodeStateChanges, parseTaskAddresses } from "../support/text/docker-json.js";
import { asCell, parsePath, valueAt } from "../support/text/json-path.js";
import { joinedCommands, SEPARATOR, splitOutputs } from "../support/text/joined-outputs.js";

describe("splitWords", () => {
  it("splits like a shell, with quotes and line continuations", () => {
    expect(splitWords("docker network create \\\n  --driver overlay my-network")).toEqual([
      "docker",
      "network",
      "create",
      "--driver",
      "overlay",
      "my-network",
    ]);
    expect(splitWords(`docker run --label "a b" 'c d' e\\ f ""`)).toEqual([
      "docker",
      "run",
      "--label",
      "a b",
      "c d",
      "e f",
      "",
    ]);
  });

  it("rejects an unclosed quote", () => {
    expect(() => splitWords('docker "oops')).toThrow('Unclosed " quote');
  });
});

describe("expandPlaceholders", () => {
  it("replaces each placeholder with its value", async () => {
    const values: Record<string, string> = { "manager1.address": "192.168.33.10", "worker-token": "SWMTKN-1-x" };
    const resolve = async (key: string) => values[key] ?? Promise.reject(new Error(`unknown ${key}`));
    expect(await expandPlaceholders("join --token ${worker-token} ${manager1.address}:2377", resolve)).toBe(
      "join --token SWMTKN-1-x 192.168.33.10:2377",
    );
    await expect(expandPlaceholders("${nope}", resolve)).rejects.toThrow("unknown nope");
  });
});

describe("parseDockerTable", () => {
  it("keeps empty cells and multi-word headings", () => {
    const output = [
      "ID                            HOSTNAME   STATUS    AVAILABILITY   MANAGER STATUS   ENGINE VERSION",
      "njf6w2vns0ddqiz8i5ilorblf *   manager1   Ready     Active         Leader           20.10.24",
      "kp4pi1bxnczg0ca8xnu4e8psq     worker1    Ready     Active                          20.10.24",
    ].join("\n");
    expect(parseDockerTable(output)).toEqual([
      {
        ID: "njf6w2vns0ddqiz8i5ilorblf *",
        HOSTNAME: "manager1",
        STATUS: "Ready",
        AVAILABILITY: "Active",
        "MANAGER STATUS": "Leader",
        "ENGINE VERSION": "20.10.24",
      },
      {
        ID: "kp4pi1bxnczg0ca8xnu4e8psq",
        HOSTNAME: "worker1",
        STATUS: "Ready",
        AVAILABILITY: "Active",
        "MANAGER STATUS": "",
        "ENGINE VERSION": "20.10.24",
      },
    ]);
  });
});

describe("json paths", () => {
  const doc = {
    IPAM: { Config: [{ Subnet: "10.0.1.0/24" }] },
    Options: { "com.docker.network.driver.overlay.vxlanid_list": "4097" },
    Attachable: false,
    Labels: null,
  };

  it("reads dotted, indexed and quoted paths", () => {
    expect(parsePath("IPAM.Config[0].Subnet")).toEqual(["IPAM", "Config", 0, "Subnet"]);
    expect(valueAt(doc, "IPAM.Config[0].Subnet")).toBe("10.0.1.0/24");
    expect(valueAt(doc, 'Options["com.docker.network.driver.overlay.vxlanid_list"]')).toBe("4097");
    expect(asCell(valueAt(doc, "Attachable"))).toBe("false");
    expect(asCell(valueAt(doc, "Labels"))).toBe("null");
  });

  it("says where a path stops and what is there", () => {
    expect(() => valueAt(doc, "IPAM.Confg[0]")).toThrow("nothing at IPAM.Confg (available there: Config)");
    expect(() => parsePath("IPAM..Config")).toThrow("at position 4");
  });
});

describe("addresses and VXLAN counters", () => {
  it("maps each IPv4 address to its device (ip -j -4 addr show)", () => {
    const output = JSON.stringify([
      { ifindex: 1, ifname: "lo", addr_info: [{ family: "inet", local: "127.0.0.1", prefixlen: 8 }] },
      { ifindex: 120, ifname: "eth0", link_index: 121, addr_info: [{ family: "inet", local: "192.168.33.10" }] },
      { ifindex: 124, ifname: "eth1", addr_info: [{ family: "inet", local: "192.168.133.10" }] },
      { ifindex: 125, ifname: "eth2", addr_info: [] },
    ]);
    expect(parseAddressDevices(output)).toEqual({
      "127.0.0.1": "lo",
      "192.168.33.10": "eth0",
      "192.168.133.10": "eth1",
    });
  });

  it("says what came instead of iproute2's JSON", () => {
    expect(() => parseAddressDevices('Option "-j" is unknown')).toThrow(/not iproute2's JSON output/);
    expect(parseAddressDevices("")).toEqual({});
  });

  it("lists the remote VTEPs of a VXLAN device's forwarding entries once each", () => {
    const entries = parseFdbEntries(
      JSON.stringify([
        {
          mac: "02:42:0a:00:01:04",
          ifname: "vx-001001-abcde",
          dst: "192.168.133.12",
          flags: ["self"],
          state: "permanent",
        },
        {
          mac: "02:42:0a:00:01:03",
          ifname: "vx-001001-abcde",
          dst: "192.168.133.11",
          flags: ["self"],
          state: "permanent",
        },
        {
          mac: "02:42:0a:00:01:05",
          ifname: "vx-001001-abcde",
          dst: "192.168.133.11",
          flags: ["self"],
          state: "permanent",
        },
        {
          mac: "02:42:0a:00:01:09",
          ifname: "vx-002002-fghij",
          dst: "192.168.133.13",
          flags: ["self"],
          state: "permanent",
        },
        { mac: "33:33:00:00:00:01", ifname: "vx-001001-abcde", flags: ["self"], state: "permanent" },
      ]),
    );
    expect(fdbDestinations(entries, ["vx-001001-abcde"])).toEqual(["192.168.133.11", "192.168.133.12"]);
  });

  it("reads packet counts of output-device rules from iptables -v -S (iptables 1.8.9)", () => {
    const output = [
      "-N SWARMNET-VXLAN-OUT",
      "-A SWARMNET-VXLAN-OUT -o eth0 -p udp -m udp --dport 4789 -c 0 0",
      "-A SWARMNET-VXLAN-OUT -o eth1 -p udp -m udp --dport 4789 -c 37 4810",
    ].join("\n");
    expect(parseOutputDeviceCounts(output)).toEqual({ eth0: 0, eth1: 37 });
  });
});

describe("IPv6 subnets", () => {
  it("places addresses in or out of a subnet, with :: anywhere", () => {
    expect(inIpv6Subnet("fd00:7::3", "fd00:7::/64")).toBe(true);
    expect(inIpv6Subnet("fd00:7:0:0:ffff:ffff:ffff:ffff/64", "fd00:7::/64")).toBe(true);
    expect(inIpv6Subnet("fd00:8::3", "fd00:7::/64")).toBe(false);
    expect(inIpv6Subnet("::1", "::/127")).toBe(true);
    expect(ipv6ToBigInt("fd00::1")).toBe(ipv6ToBigInt("fd00:0:0:0:0:0:0:1"));
  });

  it("rejects what is not an IPv6 address", () => {
    expect(() => ipv6ToBigInt("10.0.7.3")).toThrow(/not an IPv6 address/);
    expect(() => ipv6ToBigInt("fd00::7::3")).toThrow(/not an IPv6 address/);
    expect(() => ipv6ToBigInt("1:2:3:4:5:6:7")).toThrow(/not an IPv6 address/);
  });
});

describe("learned bridge entries", () => {
  it("keeps the entries learned on the VXLAN port, not the permanent or static ones, nor other ports", () => {
    const entries = parseFdbEntries(
      JSON.stringify([
        { mac: "33:33:00:00:00:01", ifname: "br0", flags: ["self"], state: "permanent" },
        { mac: "02:42:0a:00:01:04", ifname: "vx-001001-abcde", flags: [], master: "br0", state: "" },
        { mac: "02:42:0a:00:01:05", ifname: "vx-001001-abcde", flags: [], master: "br0", state: "permanent" },
        { mac: "02:42:0a:00:01:08", ifname: "vx-001001-abcde", flags: [], master: "br0", state: "static" },
        { mac: "02:42:0a:00:01:06", ifname: "veth0", flags: [], master: "br0", state: "" },
        {
          mac: "02:42:0a:00:01:07",
          ifname: "vx-001001-abcde",
          dst: "192.168.33.11",
          flags: ["self"],
          state: "permanent",
        },
      ]),
    );
    expect(learnedFdbEntries(entries, ["vx-001001-abcde"])).toEqual(["02:42:0a:00:01:04"]);
  });
});

describe("joined outputs", () => {
  it("joins commands so that each output comes back on its own, empty ones included", () => {
    expect(joinedCommands(["a", "b"])).toBe(`a && echo ${SEPARATOR} && b`);
    expect(splitOutputs(`x\ny\n${SEPARATOR}\n`, 2)).toEqual([["x", "y"], []]);
  });

  it("names the count when an output is missing (a command failed before the separator)", () => {
    expect(() => splitOutputs("x\n", 2)).toThrow(/Expected 2 outputs, got 1/);
  });
});

describe("task addresses from the swarm", () => {
  // Trimmed from `docker inspect --type task` on 26.1: one task got an IPv6 address, one IPv4.
  const attachment = (name: string, addresses: string[]) => ({
    Network: { ID: "x", Spec: { Name: name } },
    Addresses: addresses,
  });
  const output = JSON.stringify([
    {
      ID: "51rc0j2f",
      NetworksAttachments: [attachment("ingress", ["10.0.0.5/24"]), attachment("v6-net", ["fd00:7::3/64"])],
    },
    { ID: "fv1mvo6n", NetworksAttachments: [attachment("v6-net", ["10.0.7.6/24"])] },
    { ID: "pending" },
  ]);

  it("gives each task's addresses on the named network only, none for a task without attachments", () => {
    expect([...parseTaskAddresses(output, "v6-net")]).toEqual([
      ["51rc0j2f", ["fd00:7::3/64"]],
      ["fv1mvo6n", ["10.0.7.6/24"]],
      ["pending", []],
    ]);
  });
});

describe("a reachability table's positive controls", () => {
  it("names each source whose rows are all 'no' (a probe that never worked reads as 'no')", () => {
    const rows = [
      { from: "my-web.1", to: "my-web.2", expected: true },
      { from: "outsider", to: "my-web.1", expected: false },
      { from: "outsider", to: "my-web.2", expected: false },
      { from: "web-b@worker2", to: "web-a@worker1", expected: false },
      { from: "web-b@worker2", to: "web-b@worker2", expected: true },
    ];
    expect(sourcesWithoutPositive(rows)).toEqual(["outsider"]);
    expect(sourcesWithoutPositive(rows.filter((r) => r.from !== "outsider"))).toEqual([]);
  });
});

describe("lines a person compares", () => {
  it("lists, per file, the wanted lines it lacks beside the lines it has", async () => {
    const { missingLines } = await import("../support/text/lines.js");
    expect(
      missingLines({ "my-web.1": "nameserver 127.0.0.11\n\n  search x \n", "my-web.2": "search x" }, [
        "nameserver 127.0.0.11",
        "search x",
      ]),
    ).toEqual({
      "my-web.1": { missing: [], lines: ["nameserver 127.0.0.11", "search x"] },
      "my-web.2": { missing: ["nameserver 127.0.0.11"], lines: ["search x"] },
    });
  });
});

describe("node state changes from the event log", () => {
  // The shape 26.1 prints on a manager back from its upgrade: a state change, then an
  // availability change, which is not one.
  const events = [
    `{"status":"update","id":"5qpws4sheu8tg1ikmeo0dshlz","Type":"node","Action":"update","Actor":{"ID":"5qpws4sheu8tg1ikmeo0dshlz","Attributes":{"name":"worker1","state.new":"down","state.old":"unknown"}},"scope":"swarm","time":1796686032,"timeNano":1796686032015735841}`,
    `{"status":"update","id":"0sdtsqm1gohbjdjp5oc6hxdwh","Type":"node","Action":"update","Actor":{"ID":"0sdtsqm1gohbjdjp5oc6hxdwh","Attributes":{"availability.new":"active","availability.old":"drain","name":"manager1"}},"scope":"swarm","time":1796686034,"timeNano":1796686034168686369}`,
  ].join("\n");

  it("keeps the state changes, with the node and the time", () => {
    expect(parseNodeStateChanges(events)).toEqual([
      { at: "2026-12-07T23:27:12.015Z", node: "worker1", from: "unknown", to: "down" },
    ]);
  });

  it("finds none in an empty log", () => {
    expect(parseNodeStateChanges("\n")).toEqual([]);
  });
});
