import { describe, it } from "node:test";
import { expect } from "expect";
import { sourcesWithoutPositive } from "../support/text/truth-table.js";
import { expandPlaceholders, splitWords } from "../support/text/command-line.js";
import { parseDockerTable } from "../support/text/docker-table.js";
import { inIpv6Subnet, ipv6ToBigInt } from "../support/text/ipv6.js";
import {
  parseAddressDevices,
  parseFdbDestinations,
  parseLearnedFdbEntries,
  parseOutputDeviceCounts,
} from "../support/text/ip-output.js";
import { parseTaskAddresses } from "../support/text/docker-json.js";
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
  it("maps each IPv4 address to its device, with or without @peer", () => {
    const output = [
      "1: lo    inet 127.0.0.1/8 scope host lo\\       valid_lft forever preferred_lft forever",
      "120: eth0@if121    inet 192.168.33.10/24 brd 192.168.33.255 scope global eth0\\       valid_lft forever",
      "124: eth1    inet 192.168.133.10/24 brd 192.168.133.255 scope global eth1\\       valid_lft forever",
    ].join("\n");
    expect(parseAddressDevices(output)).toEqual({
      "127.0.0.1": "lo",
      "192.168.33.10": "eth0",
      "192.168.133.10": "eth1",
    });
  });

  it("lists the remote VTEPs of a VXLAN device's forwarding entries once each", () => {
    const output = [
      "02:42:0a:00:01:04 dev vx-001001-abcde dst 192.168.133.12 link-netnsid 0 self permanent",
      "02:42:0a:00:01:03 dev vx-001001-abcde dst 192.168.133.11 link-netnsid 0 self permanent",
      "02:42:0a:00:01:05 dev vx-001001-abcde dst 192.168.133.11 link-netnsid 0 self permanent",
      "33:33:00:00:00:01 dev vx-001001-abcde self permanent",
    ].join("\n");
    expect(parseFdbDestinations(output)).toEqual(["192.168.133.11", "192.168.133.12"]);
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
    const output = [
      "33:33:00:00:00:01 dev br0 self permanent",
      "02:42:0a:00:01:04 dev vx-001001-abcde master br0 ",
      "02:42:0a:00:01:05 dev vx-001001-abcde master br0 permanent",
      "02:42:0a:00:01:06 dev veth0 master br0 ",
      "02:42:0a:00:01:07 dev vx-001001-abcde dst 192.168.33.11 link-netnsid 0 self permanent",
    ].join("\n");
    expect(parseLearnedFdbEntries(output, ["vx-001001-abcde"])).toEqual(["02:42:0a:00:01:04"]);
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
