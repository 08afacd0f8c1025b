// Disk images of UML nodes, built offline and cached by content under the cache
// directory. The root image of an engine line and kernel is that line's node image
// (the same Debian docker.io) with the kernel's modules, kmod and an init, exported
// to an ext4 file: built with Docker, so its layers are cached like the node image's.
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { cp, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import { fileURLToPath } from "node:url";
import { execa } from "execa";
import { timed } from "../run/log.js";
import { COMMAND_AGENT } from "../text/command-agent.js";
import { outerDocker } from "./docker-host.js";
import { imageId } from "./images/base-image.js";
import { runLabels } from "./labels.js";
import { buildImage } from "./images/build.js";
import { run, umlDir, UmlError, type UmlKernel } from "./uml-kernel.js";

const FIXTURES = fileURLToPath(new URL("../../fixtures/kernels/uml/", import.meta.url));
const CONTEXT_FILES = ["Dockerfile", "node-init.sh", "poweroff.sh"];
/** Sparse: only what is written takes space. */
export const ROOT_SIZE = "8G";

/** A build context with the fixtures, the command agent and the kernel's modules (copied once per kernel). */
async function rootContext(kernel: UmlKernel): Promise<string> {
  const context = join(umlDir(), `root-context-${kernel.version}`);
  if (!existsSync(join(context, "modules"))) {
    await mkdir(context, { recursive: true });
    const partial = join(umlDir(), `modules-${kernel.version}.${process.pid}.partial`);
    await cp(kernel.modules, partial, { recursive: true });
    await run("mv", [partial, join(context, "modules")], "moving the kernel's modules into place");
  }
  for (const file of CONTEXT_FILES) await cp(join(FIXTURES, file), join(context, file));
  await writeFile(join(context, "agent.sh"), `${COMMAND_AGENT}\n`);
  return context;
}

/** Extracts an image's filesystem into an ext4 file of ROOT_SIZE. */
async function exportToExt4(reference: string, image: string): Promise<void> {
  const tree = await mkdtemp(join(umlDir(), "root-tree-"));
  // Labelled, so that cleanup finds it if this run dies half-way.
  const container = await outerDocker().createContainer({
    Image: reference,
    Entrypoint: ["/bin/true"],
    Labels: runLabels(),
  });
  try {
    const tar = execa("tar", ["-x", "-C", tree, "--numeric-owner"], { stdin: "pipe" });
    await pipeline(await container.export(), tar.stdin as NodeJS.WritableStream);
    await tar;
    const partial = `${image}.${process.pid}.partial`;
    await run("mkfs.ext4", ["-q", "-F", "-d", tree, partial, ROOT_SIZE], "mkfs.ext4 of the root image");
    await run("mv", [partial, image], "moving the root image into place");
  } finally {
    await container.remove({ force: true });
    await rm(tree, { recursive: true, force: true });
  }
}

/** The root image of `engine` on `kernel`: built once, then read-only under every node's copy-on-write file. */
export async function umlRootImage(engine: string, nodeImage: string, kernel: UmlKernel): Promise<string> {
  const baseImageId = await imageId(nodeImage);
  if (!baseImageId) throw new UmlError(`The node image ${nodeImage} of engine ${engine} is not on the outer daemon.`);
  const context = await rootContext(kernel);
  const built = await buildImage({
    name: `uml-root-${engine}`,
    context,
    buildArgs: { BASE: nodeImage, KERNEL: kernel.version },
    baseImageId,
  });
  const tag = built.reference.split(":")[1];
  const image = join(umlDir(), `root-${engine}-${kernel.version}-${tag}.img`);
  if (existsSync(image)) return image;
  await timed(`exporting ${built.reference} to the UML root image ${image}`, () =>
    exportToExt4(built.reference, image),
  );
  return image;
}

/** A short, stable id for a set of inputs (file names of cached images). */
export function contentTag(...parts: string[]): string {
  return createHash("sha256").update(parts.join("\0")).digest("hex").slice(0, 12);
}
