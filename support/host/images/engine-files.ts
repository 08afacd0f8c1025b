// An engine line given by its own files: Docker's static tarball (a file or a URL),
// .deb files, or a directory of binaries (a moby build beside containerd and runc).
// They are staged, with the node image's entrypoint, as the build context of a node
// image over a Debian base whose C library they can use. Downloads and tarballs are
// cached by their content.
import { createHash } from "node:crypto";
import { createReadStream, createWriteStream, existsSync } from "node:fs";
import { copyFile, cp, mkdir, mkdtemp, readdir, readFile, rename, rm } from "node:fs/promises";
import { basename, join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import { fileURLToPath } from "node:url";
import { execa } from "execa";
import { config } from "../../run/config.js";
import type { EngineLine, FileSourceKind } from "../../run/engines.js";
import { SwarmnetError } from "../../run/errors.js";
import { progress, timed } from "../../run/log.js";

const NODE_IMAGE_DIR = fileURLToPath(new URL("../../../fixtures/images/node/", import.meta.url));
/** Apart from the node image's directory, whose content names every Debian node image. */
const FILES_IMAGE_DIR = fileURLToPath(new URL("../../../fixtures/images/node-files/", import.meta.url));

/** What a node runs: dockerd needs containerd, its shim, runc and docker-proxy; the harness needs the CLI. */
export const REQUIRED_BINARIES = ["dockerd", "docker", "containerd", "containerd-shim-runc-v2", "runc", "docker-proxy"];
const OPTIONAL_BINARIES = ["docker-init", "ctr"];

/**
 * The C library (2.<minor>) of each Debian suite a node can stand on, oldest first, as
 * `ldd --version` said in debian:<suite> on 2026-12-07. Bookworm comes first: the
 * default engine's suite, and Docker's own binaries are static and need none.
 */
export const SUITE_GLIBC: readonly (readonly [string, number])[] = [
  ["bookworm", 36],
  ["trixie", 41],
  ["sid", 43],
];

export class EngineFilesError extends SwarmnetError {}

export interface StagedEngine {
  /** Build context: a Dockerfile, the entrypoint and the engine's files. */
  context: string;
  dockerfile: string;
  /** The Debian suite the node stands on. */
  suite: string;
  /** Where the files came from, for reports: "static tarball /x/docker-28.5.2.tgz (sha256 …)". */
  origin: string;
}

function engineCache(): string {
  return join(config().cacheDir, "engines");
}

async function sha256Of(files: string[]): Promise<string> {
  const hash = createHash("sha256");
  for (const file of files) await pipeline(createReadStream(file), hash, { end: false });
  return hash.digest("hex");
}

/** A URL's file, downloaded once into the cache; unreachable, an error that says to pass a file. */
async function download(url: string): Promise<string> {
  const dir = join(engineCache(), "downloads");
  const file = join(dir, basename(new URL(url).pathname) || "engine.tgz");
  if (existsSync(file)) return file;
  await mkdir(dir, { recursive: true });
  const response = await fetch(url).catch((error: unknown) => {
    throw new EngineFilesError(
      `Cannot download ${url} (${error instanceof Error ? (error.cause ?? error.message) : String(error)}): ` +
        "download it where you can and set SWARMNET_ENGINE to the file.",
    );
  });
  if (!response.ok || !response.body)
    throw new EngineFilesError(
      `Downloading ${url} answered ${response.status}: set SWARMNET_ENGINE to a file instead.`,
    );
  const partial = `${file}.${process.pid}.partial`;
  await timed(`downloading ${url}`, () =>
    pipeline(Readable.fromWeb(response.body as WebReadableStream<Uint8Array>), createWriteStream(partial)),
  );
  await rename(partial, file);
  return file;
}

/** Moves a finished directory into place; another process that got there first wins. */
async function settle(partial: string, final: string): Promise<void> {
  await rename(partial, final).catch(async (error: unknown) => {
    if (!existsSync(final)) throw error;
    await rm(partial, { recursive: true, force: true });
  });
}

/** The binaries of Docker's static tarball (its `docker/` directory), unpacked once per content. */
async function unpackTarball(archive: string, sha256: string): Promise<string> {
  const dir = join(engineCache(), sha256.slice(0, 16), "docker");
  if (existsSync(dir)) return dir;
  await mkdir(join(dir, ".."), { recursive: true });
  const work = await mkdtemp(`${dir}.`);
  try {
    const untar = await execa("tar", ["-xzf", archive, "-C", work], { reject: false, all: true });
    if (untar.exitCode !== 0)
      throw new EngineFilesError(`${archive} is not a readable .tgz: ${String(untar.all).trim().slice(0, 500)}`);
    if (!existsSync(join(work, "docker", "dockerd")))
      throw new EngineFilesError(
        `${archive} has no docker/dockerd: Docker's static tarball holds docker/dockerd, docker/containerd, docker/runc, ...`,
      );
    await settle(join(work, "docker"), dir);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  return dir;
}

/** The highest glibc 2.<minor> any of the binaries asks for (0: static, or no glibc). */
export function glibcNeeded(binaries: Buffer[]): number {
  let highest = 0;
  for (const binary of binaries)
    for (const match of binary.toString("latin1").matchAll(/GLIBC_2\.(\d+)/g))
      highest = Math.max(highest, Number(match[1]));
  return highest;
}

/** The first suite whose C library is new enough for `minor`. */
export function suiteForGlibc(minor: number, what: string): string {
  const found = SUITE_GLIBC.find(([, has]) => has >= minor);
  if (!found)
    throw new EngineFilesError(
      `${what} needs glibc 2.${minor}; the newest suite here (${SUITE_GLIBC.at(-1)?.[0]}) has 2.${SUITE_GLIBC.at(-1)?.[1]}.`,
    );
  return found[0];
}

/** The glibc a .deb's Depends asks for: `libc6 (>= 2.38)` → 38. */
export function glibcOfDepends(depends: string): number {
  const match = /(?:^|,)\s*libc6 \(>= 2\.(\d+)/.exec(depends);
  return match ? Number(match[1]) : 0;
}

/**
 * The build context of `dockerfile` over the engine's files, staged once per content of
 * both (the files by their sha256, the recipe by its own).
 */
async function stageContext(sha256: string, dockerfile: string, fill: (dir: string) => Promise<void>): Promise<string> {
  const recipe = [join(FILES_IMAGE_DIR, dockerfile), join(NODE_IMAGE_DIR, "entrypoint.sh")];
  const context = join(engineCache(), sha256.slice(0, 16), `context-${(await sha256Of(recipe)).slice(0, 12)}`);
  if (existsSync(context)) return context;
  await mkdir(join(context, ".."), { recursive: true });
  const work = await mkdtemp(`${context}.`);
  try {
    await copyFile(recipe[0], join(work, "Dockerfile"));
    await copyFile(recipe[1], join(work, "entrypoint.sh"));
    await fill(work);
    await settle(work, context);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  return context;
}

async function stageBinaries(line: EngineLine, bin: string, sha256: string, origin: string): Promise<StagedEngine> {
  const present = new Set(await readdir(bin));
  const missing = REQUIRED_BINARIES.filter((b) => !present.has(b));
  if (missing.length > 0)
    throw new EngineFilesError(
      `${origin} lacks ${missing.join(", ")}: a node needs ${REQUIRED_BINARIES.join(", ")} ` +
        "(a moby build's bundles/binary-daemon has dockerd and docker-proxy; put containerd, its shim, runc and the docker CLI beside them).",
    );
  const names = [...REQUIRED_BINARIES, ...OPTIONAL_BINARIES.filter((b) => present.has(b))];
  const suite =
    line.suite ?? suiteForGlibc(glibcNeeded(await Promise.all(names.map((n) => readFile(join(bin, n))))), origin);
  const context = await stageContext(sha256, "Dockerfile.binaries", async (dir) => {
    await mkdir(join(dir, "bin"));
    await Promise.all(names.map((n) => cp(join(bin, n), join(dir, "bin", n))));
  });
  return { context, dockerfile: "Dockerfile", suite, origin };
}

async function stageDebs(line: EngineLine, dir: string): Promise<StagedEngine> {
  const debs = (await readdir(dir)).filter((f) => f.endsWith(".deb")).sort();
  const sha256 = await sha256Of(debs.map((d) => join(dir, d)));
  const origin = `.deb files ${dir} (${debs.join(", ")}; sha256 ${sha256})`;
  let suite = line.suite;
  if (!suite) {
    const depends = await Promise.all(
      debs.map(async (d) => (await execa("dpkg-deb", ["-f", join(dir, d), "Depends"])).stdout),
    );
    suite = suiteForGlibc(Math.max(0, ...depends.map(glibcOfDepends)), origin);
  }
  const context = await stageContext(sha256, "Dockerfile.debs", async (work) => {
    await mkdir(join(work, "debs"));
    await Promise.all(debs.map((d) => cp(join(dir, d), join(work, "debs", d))));
  });
  return { context, dockerfile: "Dockerfile", suite, origin };
}

/** The build context of a node image of `line`'s own files. */
export async function stageEngineFiles(line: EngineLine): Promise<StagedEngine> {
  const { source } = line;
  if (source.kind === "debian") throw new EngineFilesError(`engine ${line.name} is Debian's packages, not files`);
  const kinds: Record<FileSourceKind, () => Promise<StagedEngine>> = {
    static: async () => {
      const archive = /^https?:\/\//.test(source.location) ? await download(source.location) : source.location;
      const sha256 = await sha256Of([archive]);
      const bin = await unpackTarball(archive, sha256);
      return stageBinaries(line, bin, sha256, `static tarball ${source.location} (sha256 ${sha256})`);
    },
    binaries: async () => {
      const present = await readdir(source.location);
      const files = [...REQUIRED_BINARIES, ...OPTIONAL_BINARIES].filter((n) => present.includes(n));
      const sha256 = await sha256Of(files.map((n) => join(source.location, n)));
      return stageBinaries(line, source.location, sha256, `binaries in ${source.location} (sha256 ${sha256})`);
    },
    debs: () => stageDebs(line, source.location),
  };
  const staged = await kinds[source.kind]();
  progress(`engine ${line.name}: ${staged.origin}, on Debian ${staged.suite}`);
  return staged;
}

/** The engine line's name from what its dockerd says: "Docker version 26.1.5+dfsg1, build …" → 26.1.5. */
export function lineNameOf(versionOutput: string): string {
  const version = /Docker version (\d+\.\d+\.\d+)/.exec(versionOutput)?.[1];
  if (!version)
    throw new EngineFilesError(`dockerd --version said "${versionOutput.trim()}", not "Docker version x.y.z"`);
  return version;
}
