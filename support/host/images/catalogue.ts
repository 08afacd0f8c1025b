// The images a run needs: one node image per engine line, and the workload images
// (nginx stand-in, probe) packed into one archive that every node loads.
import { createWriteStream } from "node:fs";
import { mkdir, rename, stat } from "node:fs/promises";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import { fileURLToPath } from "node:url";
import { config, type NodeImageSource } from "../../run/config.js";
import type { EngineLine } from "../../run/engines.js";
import { progress, timed } from "../../run/log.js";
import { outerDocker } from "../docker-host.js";
import { ensureBaseImage, imageId, tryPull } from "./base-image.js";
import { runToEnd } from "../container-logs.js";
import { buildImage, type BuiltImage } from "./build.js";
import { EngineFilesError, lineNameOf, stageEngineFiles } from "./engine-files.js";

const IMAGES_DIR = fileURLToPath(new URL("../../../fixtures/images/", import.meta.url));
const WORKLOAD_SUITE = "bookworm";

/** Names the workload images carry inside the nodes, as scenarios write them. */
export const IN_NODE_WEB_IMAGE = "nginx:latest";
export const IN_NODE_PROBE_IMAGE = "swarmnet/probe:latest";
export const IN_NODE_ARCHIVE = "/swarmnet/workloads.tar";

export interface WorkloadArchive {
  /** Path of the `docker save` archive on this machine, copied into every node. */
  hostPath: string;
  /** Shell command, run inside a node, that loads and names the images. */
  loadCommand: string;
}

/** A node image and where its engine came from. */
interface NodeImage extends BuiltImage {
  origin: string;
}

/** An engine of its own files: a node image over the Debian suite their C library needs. */
async function buildFilesImage(engine: EngineLine): Promise<NodeImage> {
  const staged = await stageEngineFiles(engine);
  const built = await buildImage({
    name: "node-files",
    context: staged.context,
    dockerfile: staged.dockerfile,
    buildArgs: { BASE: `debian:${staged.suite}` },
    baseImageId: await ensureBaseImage(staged.suite),
  });
  return { ...built, origin: staged.origin };
}

/**
 * The official docker:<version>-dind image where it can be had (SWARMNET_NODE_IMAGES
 * auto or official), else Debian's docker.io of the engine's suite.
 */
async function buildNodeImage(engine: EngineLine, source: NodeImageSource): Promise<NodeImage> {
  const from = engine.source;
  if (from.kind !== "debian") return buildFilesImage(engine);
  const suite = engine.suite as string; // a Debian line has one (parseEngineTable)
  if (source !== "debian" && engine.official) {
    const officialId =
      (await imageId(engine.official)) ??
      ((await tryPull(engine.official)) ? await imageId(engine.official) : undefined);
    if (officialId) {
      const built = await buildImage({
        name: `node-${engine.name}-official`,
        context: join(IMAGES_DIR, "node"),
        dockerfile: "Dockerfile.official",
        buildArgs: { BASE: engine.official },
        baseImageId: officialId,
      });
      return { ...built, origin: `${engine.official} (${officialId})` };
    }
    if (source === "official")
      throw new Error(`SWARMNET_NODE_IMAGES=official, but ${engine.official} cannot be pulled (see above).`);
    progress(`engine ${engine.name}: ${engine.official} is not available, using Debian ${suite}'s docker.io`);
  }
  const built = await buildImage({
    name: `node-${engine.name}`,
    context: join(IMAGES_DIR, "node"),
    buildArgs: { BASE: `debian:${suite}`, PACKAGES: from.packages },
    baseImageId: await ensureBaseImage(suite),
  });
  return { ...built, origin: `Debian ${suite}'s ${from.packages}` };
}

async function workloadImage(name: "web" | "probe"): Promise<BuiltImage> {
  const baseImageId = await ensureBaseImage(WORKLOAD_SUITE);
  return buildImage({
    name,
    context: join(IMAGES_DIR, name),
    buildArgs: { BASE: `debian:${WORKLOAD_SUITE}` },
    baseImageId,
  });
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

async function saveWorkloads(web: string, probe: string): Promise<WorkloadArchive> {
  const dir = config().cacheDir;
  await mkdir(dir, { recursive: true });
  const tags = (ref: string) => ref.split(":")[1];
  const hostPath = join(dir, `workloads-${tags(web)}-${tags(probe)}.tar`);
  if (!(await exists(hostPath))) {
    await timed(`saving workload images to ${hostPath}`, async () => {
      const partial = `${hostPath}.${process.pid}.partial`;
      // Typed by @types/dockerode only for one image; the API takes several names.
      const archive = await (
        outerDocker() as unknown as { getImages(o: { names: string[] }): Promise<NodeJS.ReadableStream> }
      ).getImages({ names: [web, probe] });
      await pipeline(archive, createWriteStream(partial));
      await rename(partial, hostPath);
    });
  }
  return {
    hostPath,
    loadCommand: [
      `docker load -q -i ${IN_NODE_ARCHIVE} >/dev/null`,
      `docker tag ${web} ${IN_NODE_WEB_IMAGE}`,
      `docker tag ${probe} ${IN_NODE_PROBE_IMAGE}`,
    ].join(" && "),
  };
}

/**
 * Node images are built on first use of an engine line (a run on one engine never
 * builds the others); workload images are built and saved once up front.
 */
export class ImageCatalogue {
  private readonly nodeImages = new Map<string, Promise<NodeImage>>();

  private constructor(
    readonly workloads: WorkloadArchive,
    private readonly source: NodeImageSource,
    /** Every image this catalogue stands on, bases included: what another daemon needs to find it all cached. */
    private readonly used: Set<string>,
  ) {}

  static async prepare(source: NodeImageSource): Promise<ImageCatalogue> {
    const web = await workloadImage("web");
    const probe = await workloadImage("probe");
    const workloads = await saveWorkloads(web.reference, probe.reference);
    progress(`workload images: ${describeBuilt([web, probe])}`);
    return new ImageCatalogue(workloads, source, new Set([`debian:${WORKLOAD_SUITE}`, web.reference, probe.reference]));
  }

  /** The images in use so far, bases included. */
  references(): string[] {
    return [...this.used];
  }

  private built(engine: EngineLine): Promise<NodeImage> {
    let image = this.nodeImages.get(engine.name);
    if (!image) {
      image = buildNodeImage(engine, this.source).then((built) => {
        progress(`node image for engine ${engine.name}: ${describeBuilt([built])}`);
        this.used.add(built.base).add(built.reference);
        return built;
      });
      this.nodeImages.set(engine.name, image);
    }
    return image;
  }

  async nodeImage(engine: EngineLine): Promise<string> {
    return (await this.built(engine)).reference;
  }

  /** Where an engine line's node image came from (built first if need be). */
  async origin(engine: EngineLine): Promise<string> {
    return (await this.built(engine)).origin;
  }

  /**
   * A line of files given by its path (SWARMNET_ENGINE=<path>), named by what its
   * dockerd says; its node image is built on the way. Other lines are returned as they are.
   */
  async named(engine: EngineLine): Promise<EngineLine> {
    if (engine.source.kind === "debian" || engine.name !== engine.source.location) return engine;
    const image = await this.built(engine);
    const { exitCode, output } = await runToEnd(image.reference, ["dockerd", "--version"]);
    if (exitCode !== 0)
      throw new EngineFilesError(`dockerd --version in ${image.reference} exited ${exitCode}: ${output}`);
    const named = { ...engine, name: lineNameOf(output) };
    this.nodeImages.set(named.name, Promise.resolve(image));
    return named;
  }
}

function describeBuilt(images: BuiltImage[]): string {
  return images.map((i) => `${i.reference}${i.cached ? " (cached, nothing built)" : " (built)"}`).join(", ");
}
