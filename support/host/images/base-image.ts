// debian:<suite> base images: pulled where a registry answers, otherwise seeded
// offline with debootstrap + docker import.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { config } from "../../run/config.js";
import { ignoreNotFound } from "../../run/errors.js";
import { progress, timed } from "../../run/log.js";
import { outerDocker } from "../docker-host.js";

export async function imageId(reference: string): Promise<string | undefined> {
  const image = await outerDocker().getImage(reference).inspect().catch(ignoreNotFound);
  return image?.Id;
}

export async function tryPull(reference: string): Promise<boolean> {
  const docker = outerDocker();
  try {
    const stream = await docker.pull(reference);
    await new Promise<void>((resolve, reject) =>
      docker.modem.followProgress(stream, (err) => (err ? reject(err) : resolve())),
    );
    return true;
  } catch (error) {
    progress(`cannot pull ${reference} (${error instanceof Error ? error.message.split("\n")[0] : String(error)})`);
    return false;
  }
}

async function seedWithDebootstrap(suite: string, reference: string): Promise<void> {
  const mirror = config().debianMirror;
  const rootfs = await mkdtemp(join(tmpdir(), `swarmnet-${suite}-`));
  try {
    await execa("debootstrap", ["--variant=minbase", suite, rootfs, mirror]).catch((error: unknown) => {
      const detail = error instanceof Error ? error.message : String(error);
      throw new Error(
        `Seeding ${reference} failed: debootstrap ${suite} did not finish.\n` +
          "It needs root and the debootstrap package (apt-get install debootstrap) and a reachable Debian mirror " +
          `(SWARMNET_DEBIAN_MIRROR=${mirror}).\n${detail.slice(-2000)}`,
      );
    });
    // Leave out apt's caches and docs: they double the size of every node's tmpfs.
    const excludes = [
      "./var/cache/apt/*",
      "./var/lib/apt/lists/*",
      "./usr/share/doc/*",
      "./usr/share/man/*",
      "./usr/share/locale/*",
    ];
    const tar = execa("tar", ["-C", rootfs, ...excludes.map((e) => `--exclude=${e}`), "-c", "."], { buffer: false });
    const [repo, tag] = reference.split(":");
    const response = await outerDocker().importImage(tar.stdout, { repo, tag });
    await new Promise<void>((resolve, reject) =>
      outerDocker().modem.followProgress(response, (err) => (err ? reject(err) : resolve())),
    );
    await tar;
  } finally {
    await rm(rootfs, { recursive: true, force: true });
  }
}

/** Returns the image id of debian:<suite>, obtaining the image if it is missing. */
export async function ensureBaseImage(suite: string): Promise<string> {
  const reference = `debian:${suite}`;
  const existing = await imageId(reference);
  if (existing) return existing;
  progress(`${reference} is missing: trying a registry pull`);
  const pulled = await tryPull(reference);
  if (!pulled) {
    await timed(`seeding ${reference} with debootstrap (no registry reachable)`, () =>
      seedWithDebootstrap(suite, reference),
    );
  }
  const id = await imageId(reference);
  if (!id) throw new Error(`${reference} is still missing after it was obtained`);
  return id;
}
