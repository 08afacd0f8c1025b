// The two disk images every UML node of an engine line boots from, each read-only
// under the node's own copy-on-write files: the root (host/uml-images.ts) and the
// data image, a /var/lib/docker in which that engine has loaded the workload images
// once, so that no node loads them again. The data image is made by the engine's own
// node container on a directory of this machine, then packed into ext4.
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { join } from "node:path";
import type { HostEnvironment } from "../host/harness.js";
import { contentTag, umlRootImage } from "../host/uml-images.js";
import { run, umlDir, type UmlKernel } from "../host/uml-kernel.js";
import { timed } from "../run/log.js";
import { SwarmNodeContainer } from "./container-node.js";

/** Sparse: only what is written takes space. */
const DATA_SIZE = "40G";
/** Per-daemon identity that must not be shared by nodes cloned from one image. */
const NOT_SHARED = ["engine-id", "network/files/local-kv.db"];

export interface UmlDisks {
  root: string;
  data: string;
}

const made = new Map<string, Promise<UmlDisks>>();

async function dataImage(host: HostEnvironment, engine: string, nodeImage: string): Promise<string> {
  const image = join(umlDir(), `data-${engine}-${contentTag(nodeImage, host.workloads.hostPath)}.img`);
  if (existsSync(image)) return image;
  await timed(`making the UML data image of engine ${engine} (workload images loaded once)`, async () => {
    const state = await mkdtemp(join(umlDir(), "data-tree-"));
    try {
      const node = await new SwarmNodeContainer(nodeImage, {
        name: `uml-data-${engine}`,
        role: "worker",
        engine,
        address: "",
      })
        .withPrivilege(host.privilege)
        .withStateDirectory(state)
        .withWorkloads(host.workloads)
        .startNode();
      await node.stopDaemonForUpgrade();
      await node.stop();
      await Promise.all(NOT_SHARED.map((p) => rm(join(state, p), { recursive: true, force: true })));
      const partial = `${image}.${process.pid}.partial`;
      await run("mkfs.ext4", ["-q", "-F", "-d", state, partial, DATA_SIZE], "mkfs.ext4 of the data image");
      await run("mv", [partial, image], "moving the data image into place");
    } finally {
      await rm(state, { recursive: true, force: true });
    }
  });
  return image;
}

/** The root image of `engine` on `kernel` and the engine's data image, made on first use and cached by content. */
export function umlDisks(host: HostEnvironment, engine: string, kernel: UmlKernel): Promise<UmlDisks> {
  const key = `${engine} ${kernel.version}`;
  let disks = made.get(key);
  if (!disks) {
    disks = (async () => {
      const nodeImage = await host.nodeImage(engine);
      const root = await umlRootImage(engine, nodeImage, kernel);
      return { root, data: await dataImage(host, engine, nodeImage) };
    })();
    made.set(key, disks);
    disks.catch(() => made.delete(key));
  }
  return disks;
}
