import { describe, it } from "node:test";
import { expect } from "expect";
import { expandPlaceholders, splitWords } from "../support/text/command-line.js";
import { parseDockerTable } from "../support/text/docker-table.js";
import { asCell, parsePath, valueAt } from "../support/text/json-path.js";

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
