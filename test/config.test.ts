import { describe, it } from "node:test";
import { expect } from "expect";
import {
  ConfigError,
  dataSubnetFor,
  matrixIptables,
  matrixKernels,
  nodeAddress,
  parseConfig,
  subnetForWorker,
} from "../support/run/config.js";
import { iptablesBackend } from "../support/host/harness.js";
import { engineLineOf, findEngine, parseEngineTable } from "../support/run/engines.js";
import { umlPassEnv } from "../support/run/uml-pass.js";

const engines = parseEngineTable({
  default: "20.10",
  engines: {
    "20.10": { suite: "bookworm", packages: "docker.io" },
    "28.5": { suite: "sid", packages: "docker.io docker-cli" },
  },
});

describe("parseConfig", () => {
  it("uses the defaults when nothing is set", () => {
    const config = parseConfig({}, engines);
    expect(config).toMatchObject({
      labSubnet: "192.168.33.0/24",
      reuseClusters: true,
      privilege: "auto",
      nodeImages: "auto",
    });
    expect(config.engine.name).toBe("20.10");
  });

  it("reads every setting", () => {
    const config = parseConfig(
      {
        SWARMNET_ENGINE: "28.5",
        SWARMNET_LAB_SUBNET: "10.9.8.0/24",
        SWARMNET_REUSE: "false",
        SWARMNET_PRIVILEGE: "capabilities",
        SWARMNET_NODE_IMAGES: "debian",
      },
      engines,
    );
    expect(config).toMatchObject({
      labSubnet: "10.9.8.0/24",
      reuseClusters: false,
      privilege: "capabilities",
      nodeImages: "debian",
    });
    expect(config.engine.suite).toBe("sid");
  });

  it("fails kernel scenarios that cannot run under CI, unless skips are allowed by name", () => {
    expect(parseConfig({}, engines).kernelSkips).toBe("skip");
    expect(parseConfig({ CI: "true" }, engines).kernelSkips).toBe("fail");
    expect(parseConfig({ CI: "true", SWARMNET_ALLOW_KERNEL_SKIPS: "true" }, engines).kernelSkips).toBe("skip");
    expect(parseConfig({ SWARMNET_ALLOW_KERNEL_SKIPS: "false" }, engines).kernelSkips).toBe("fail");
    expect(() => parseConfig({ SWARMNET_ALLOW_KERNEL_SKIPS: "yes" }, engines)).toThrow(/SWARMNET_ALLOW_KERNEL_SKIPS/);
  });

  it("names the variable and the choices on a bad value", () => {
    expect(() => parseConfig({ SWARMNET_ENGINE: "19.03" }, engines)).toThrow(
      'SWARMNET_ENGINE="19.03" is not valid: expected one of 20.10, 28.5, or the path',
    );
    expect(() => parseConfig({ SWARMNET_REUSE: "yes" }, engines)).toThrow(ConfigError);
    expect(() => parseConfig({ SWARMNET_LAB_SUBNET: "192.168.33.0/16" }, engines)).toThrow(/SWARMNET_LAB_SUBNET/);
  });

  it("gives each parallel worker its own subnet", () => {
    expect(parseConfig({ CUCUMBER_WORKER_ID: "2" }, engines).labSubnet).toBe("192.168.35.0/24");
    expect(() => subnetForWorker("10.0.255.0/24", 1)).toThrow(ConfigError);
  });

  it("puts a data network 100 above the lab subnet, where there is room", () => {
    expect(dataSubnetFor("192.168.33.0/24")).toBe("192.168.133.0/24");
    expect(() => dataSubnetFor("192.168.200.0/24")).toThrow(/data network/);
  });

  it("takes the iptables backend from SWARMNET_IPTABLES, and decides auto by the kernel", () => {
    expect(parseConfig({}, engines).iptables).toBe("auto");
    expect(parseConfig({ SWARMNET_IPTABLES: "legacy" }, engines).iptables).toBe("legacy");
    expect(() => parseConfig({ SWARMNET_IPTABLES: "nftables" }, engines)).toThrow(/SWARMNET_IPTABLES/);
    const kernel = { ipvs: false, esp: false, nftNat: false, release: "6.1.176", kind: "UML" as const };
    expect(iptablesBackend("auto", kernel)).toBe("legacy");
    expect(iptablesBackend("auto", { ...kernel, nftNat: true })).toBe("nft");
    expect(() => iptablesBackend("nft", kernel)).toThrow(/cannot make a nat chain on kernel 6.1.176/);
    expect(matrixIptables({ SWARMNET_MATRIX_IPTABLES: "nft,legacy" })).toEqual(["nft", "legacy"]);
    expect(matrixIptables({})).toEqual([]);
    expect(() => matrixIptables({ SWARMNET_MATRIX_IPTABLES: "nft,xt" })).toThrow(/SWARMNET_MATRIX_IPTABLES/);
  });

  it("takes the matrix's kernel axis from SWARMNET_MATRIX_KERNELS, naming the lines there are", () => {
    expect(matrixKernels({ SWARMNET_MATRIX_KERNELS: "6.1, 6.12" })).toEqual(["6.1", "6.12"]);
    expect(matrixKernels({})).toEqual([]);
    expect(() => matrixKernels({ SWARMNET_MATRIX_KERNELS: "6.1,5.10" })).toThrow(/SWARMNET_MATRIX_KERNELS.*6\.12/);
  });

  it("takes the way probes enter a namespace from SWARMNET_PROBES", () => {
    expect(parseConfig({}, engines).probes).toBe("container");
    expect(parseConfig({ SWARMNET_PROBES: "nsenter" }, engines).probes).toBe("nsenter");
    expect(() => parseConfig({ SWARMNET_PROBES: "exec" }, engines)).toThrow(/SWARMNET_PROBES/);
  });

  it("places node n at .10+n like the tutorial's 192.168.33.10", () => {
    expect(nodeAddress("192.168.33.0/24", 0)).toBe("192.168.33.10");
    expect(nodeAddress("192.168.33.0/24", 2)).toBe("192.168.33.12");
  });
});

describe("settings read in one place", () => {
  it("reads the timeout scale, mirror, cache dir and parallel workers", () => {
    const config = parseConfig(
      {
        SWARMNET_TIMEOUT_SCALE: "2.5",
        SWARMNET_DEBIAN_MIRROR: "http://mirror/debian",
        XDG_CACHE_HOME: "/c",
        SWARMNET_PARALLEL: "2",
      },
      engines,
      "/home/u",
    );
    expect(config).toMatchObject({
      timeoutScale: 2.5,
      debianMirror: "http://mirror/debian",
      cacheDir: "/c/swarmnet",
      parallel: 2,
    });
    expect(parseConfig({}, engines, "/home/u", 1)).toMatchObject({
      timeoutScale: 1,
      cacheDir: "/home/u/.cache/swarmnet",
      parallel: 1,
    });
  });

  it("runs serially on one core, else a worker per core and one more, at most three; SWARMNET_PARALLEL overrides", () => {
    expect(parseConfig({}, engines, "/home/u", 1).parallel).toBe(1);
    expect(parseConfig({}, engines, "/home/u", 2).parallel).toBe(3);
    expect(parseConfig({}, engines, "/home/u", 16).parallel).toBe(3);
    expect(parseConfig({ SWARMNET_PARALLEL: "1" }, engines, "/home/u", 16).parallel).toBe(1);
    expect(parseConfig({ SWARMNET_PARALLEL: "4" }, engines, "/home/u", 2).parallel).toBe(4);
  });

  it("refuses a bad timeout scale instead of ignoring it", () => {
    expect(() => parseConfig({ SWARMNET_TIMEOUT_SCALE: "fast" }, engines)).toThrow(
      'SWARMNET_TIMEOUT_SCALE="fast" is not valid',
    );
    expect(() => parseConfig({ SWARMNET_TIMEOUT_SCALE: "0" }, engines)).toThrow(ConfigError);
    expect(() => parseConfig({ SWARMNET_PARALLEL: "two" }, engines)).toThrow(/SWARMNET_PARALLEL/);
  });
});

describe("the UML pass's settings", () => {
  it("come from the run's settings, keeping what the user set", () => {
    expect(umlPassEnv(parseConfig({}, engines))).toEqual({
      SWARMNET_NODES: "uml",
      SWARMNET_LAB_SUBNET: "192.168.83.0/24",
      SWARMNET_REPORT_DIR: "reports/uml",
      SWARMNET_PARALLEL: "1",
      SWARMNET_REUSE: "false",
    });
    const given = parseConfig(
      { SWARMNET_LAB_SUBNET: "10.1.2.0/24", SWARMNET_PARALLEL: "2", SWARMNET_REUSE: "true", CUCUMBER_WORKER_ID: "1" },
      engines,
    );
    expect(umlPassEnv(given)).toMatchObject({
      SWARMNET_LAB_SUBNET: "10.1.52.0/24",
      SWARMNET_PARALLEL: "2",
      SWARMNET_REUSE: "true",
    });
  });
});

describe("engine table", () => {
  /** A patch line (20.10.5) beside its minor line (20.10). */
  const withPatchLine = parseEngineTable({
    default: "20.10",
    engines: {
      "20.10.5": { suite: "bullseye", packages: "docker.io" },
      "20.10": { suite: "bookworm", packages: "docker.io" },
    },
  });

  it("names the line a daemon's version belongs to, the longest that fits", () => {
    expect(engineLineOf(withPatchLine, "20.10.5+dfsg1")).toBe("20.10.5");
    expect(engineLineOf(withPatchLine, "20.10.24+dfsg1")).toBe("20.10");
    expect(engineLineOf(engines, "20.10.24+dfsg1")).toBe("20.10");
    expect(engineLineOf(engines, "28.5.2+dfsg4")).toBe("28.5");
    expect(engineLineOf(engines, "29.0.1")).toBe("29.0.1");
  });

  it("finds a line by name or by a full version", () => {
    expect(findEngine(engines, "28.5").suite).toBe("sid");
    expect(findEngine(engines, "28.5.2").suite).toBe("sid");
    expect(() => findEngine(engines, "27.0")).toThrow(/Known engines: 20.10, 28.5/);
  });

  it("tells a patch line from its minor line by the longest name", () => {
    const table = withPatchLine;
    expect(findEngine(table, "20.10.5+dfsg1").suite).toBe("bullseye");
    expect(findEngine(table, "20.10.24+dfsg1").suite).toBe("bookworm");
    expect(findEngine(table, "20.10.50").suite).toBe("bookworm");
  });

  it("rejects a table whose default is not listed", () => {
    expect(() =>
      parseEngineTable(
        { default: "1.0", engines: { "20.10": { suite: "bookworm", packages: "docker.io" } } },
        "t.json",
      ),
    ).toThrow('t.json: "default" must name one of: 20.10');
  });
});
