import { after, describe, it } from "node:test";
import { createReadStream, existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { expect } from "expect";
import { parseConfig } from "../support/run/config.js";
import { engineAt, isEngineLocation, parseEngineTable } from "../support/run/engines.js";
import {
  glibcNeeded,
  glibcOfDepends,
  lineNameOf,
  stageEngineFiles,
  suiteForGlibc,
} from "../support/host/images/engine-files.js";

// config() reads the environment once per process: one cache for every test here.
const cache = mkdtempSync(join(tmpdir(), "swarmnet-engine-cache-"));
process.env.SWARMNET_CACHE_DIR = cache;
after(() => rmSync(cache, { recursive: true, force: true }));

const table = (engines: Record<string, unknown>) =>
  parseEngineTable({ default: Object.keys(engines)[0], engines }, "/repo/fixtures/engines.json");

describe("engine lines of files", () => {
  it("reads a tarball, .deb files or binaries, paths relative to the table's directory", () => {
    const { engines } = table({
      "28.5.2": { static: "../downloads/docker-28.5.2.tgz" },
      "29.0": { static: "https://download.docker.com/linux/static/stable/x86_64/docker-29.0.0.tgz" },
      "27.5": { debs: "/srv/debs/27.5", suite: "bookworm" },
      dev: { binaries: "/src/moby/bundles/binary-daemon" },
      "20.10": { suite: "bookworm", packages: "docker.io" },
    });
    expect(engines.map((e) => e.source)).toEqual([
      { kind: "static", location: "/repo/downloads/docker-28.5.2.tgz" },
      { kind: "static", location: "https://download.docker.com/linux/static/stable/x86_64/docker-29.0.0.tgz" },
      { kind: "debs", location: "/srv/debs/27.5" },
      { kind: "binaries", location: "/src/moby/bundles/binary-daemon" },
      { kind: "debian", packages: "docker.io" },
    ]);
    expect(engines[2].suite).toBe("bookworm");
    expect(engines[0].suite).toBeUndefined();
  });

  it("rejects an entry with two sources, or with none", () => {
    expect(() => table({ x: { static: "a.tgz", debs: "d" } })).toThrow(
      'engine "x" gives static and debs: one source only',
    );
    expect(() => table({ x: { static: "a.tgz", packages: "docker.io" } })).toThrow(
      'engine "x" gives "packages" and "static": one source only',
    );
    expect(() => table({ x: { suite: "bookworm" } })).toThrow(
      'engine "x" needs a "packages" string (or one of "static", "debs", "binaries")',
    );
    expect(() => table({ x: { static: "" } })).toThrow('engine "x": "static" must be a path or URL');
  });

  it("tells a path from a line's name", () => {
    expect(isEngineLocation("26.1")).toBe(false);
    expect(isEngineLocation("20.10.5")).toBe(false);
    expect(isEngineLocation("docker-28.5.2.tgz")).toBe(true);
    expect(isEngineLocation("./bin")).toBe(true);
  });

  it("takes SWARMNET_ENGINE=<path> as a tarball, .deb files or binaries, by what is there", async () => {
    const dir = await mkdtemp(join(tmpdir(), "swarmnet-engine-"));
    await writeFile(join(dir, "docker-28.5.2.tgz"), "");
    await mkdir(join(dir, "debs"));
    await writeFile(join(dir, "debs", "docker-ce_28.5.2_amd64.deb"), "");
    await mkdir(join(dir, "bin"));
    await writeFile(join(dir, "bin", "dockerd"), "");
    await mkdir(join(dir, "empty"));
    expect(engineAt("docker-28.5.2.tgz", dir).source).toEqual({
      kind: "static",
      location: join(dir, "docker-28.5.2.tgz"),
    });
    expect(engineAt(join(dir, "debs")).source.kind).toBe("debs");
    expect(engineAt(join(dir, "bin")).source.kind).toBe("binaries");
    expect(engineAt(join(dir, "bin")).name).toBe(join(dir, "bin"));
    expect(() => engineAt(join(dir, "missing.tgz"))).toThrow(`${join(dir, "missing.tgz")}: no such file or directory`);
    expect(() => engineAt(join(dir, "empty"))).toThrow("holds .deb files");
    const engines = table({ "20.10": { suite: "bookworm", packages: "docker.io" } });
    expect(() => parseConfig({ SWARMNET_ENGINE: join(dir, "nothing/") }, engines)).toThrow(
      /SWARMNET_ENGINE=".*nothing\/" is not valid: .*no such file or directory/,
    );
  });

  it("stops at an unreadable tarball, one without docker/dockerd, and a directory missing binaries", async () => {
    const dir = await mkdtemp(join(tmpdir(), "swarmnet-engine-"));
    await writeFile(join(dir, "broken.tgz"), "not a tarball");
    await expect(stageEngineFiles(engineAt(join(dir, "broken.tgz")))).rejects.toThrow(
      `${join(dir, "broken.tgz")} is not a readable .tgz`,
    );
    await mkdir(join(dir, "bin"));
    await writeFile(join(dir, "bin", "dockerd"), "");
    await expect(stageEngineFiles(engineAt(join(dir, "bin")))).rejects.toThrow(
      "lacks docker, containerd, containerd-shim-runc-v2, runc, docker-proxy",
    );
  });

  it("stops at a URL that cannot be reached, saying to pass a file", async () => {
    const line = engineAt("http://127.0.0.1:9/docker-28.5.2.tgz");
    await expect(stageEngineFiles(line)).rejects.toThrow("Cannot download http://127.0.0.1:9/docker-28.5.2.tgz");
    await expect(stageEngineFiles(line)).rejects.toThrow("set SWARMNET_ENGINE to the file");
  });

  it("downloads a URL once into the cache, then unpacks and checks it like a file", async () => {
    const dir = await mkdtemp(join(tmpdir(), "swarmnet-engine-"));
    await mkdir(join(dir, "docker"));
    await writeFile(join(dir, "docker", "dockerd"), "");
    await execa("tar", ["-czf", join(dir, "docker-0.0.1.tgz"), "-C", dir, "docker"]);
    let served = 0;
    const server = createServer((_, response) => {
      served++;
      createReadStream(join(dir, "docker-0.0.1.tgz")).pipe(response);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const line = engineAt(`http://127.0.0.1:${port}/docker-0.0.1.tgz`);
      for (let i = 0; i < 2; i++) await expect(stageEngineFiles(line)).rejects.toThrow("lacks docker, containerd");
      expect(served).toBe(1);
      expect(existsSync(join(cache, "engines", "downloads", "docker-0.0.1.tgz"))).toBe(true);
    } finally {
      server.close();
    }
  });

  it("puts binaries on the oldest suite whose C library they can use", () => {
    expect(glibcNeeded([Buffer.from("static, no libc")])).toBe(0);
    expect(glibcNeeded([Buffer.from("GLIBC_2.2.5\0GLIBC_2.34\0"), Buffer.from("GLIBC_2.38")])).toBe(38);
    expect(suiteForGlibc(0, "x")).toBe("bookworm");
    expect(suiteForGlibc(38, "x")).toBe("trixie");
    expect(() => suiteForGlibc(50, "binaries in /b")).toThrow("binaries in /b needs glibc 2.50");
    expect(glibcOfDepends("libc6 (>= 2.38), libsystemd0, iptables")).toBe(38);
    expect(glibcOfDepends("adduser, iptables")).toBe(0);
  });

  it("names a line by what its dockerd says", () => {
    expect(lineNameOf("Docker version 26.1.5+dfsg1, build 411e817\n")).toBe("26.1.5");
    expect(lineNameOf("Docker version 28.5.2, build 89c5e8f")).toBe("28.5.2");
    expect(() => lineNameOf("dockerd: not found")).toThrow('dockerd --version said "dockerd: not found"');
  });
});
