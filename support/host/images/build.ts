// Builds a Dockerfile directory into swarmnet/<name>:<content hash>. Unchanged
// content means the tag exists already and nothing is built.
import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { SwarmnetError } from "../../run/errors.js";
import { timed } from "../../run/log.js";
import { outerDocker } from "../docker-host.js";
import { imageId } from "./base-image.js";

export interface BuildRequest {
  /** Short name: the image becomes swarmnet/<name>:<hash>. */
  name: string;
  /** Directory holding the Dockerfile and what it copies. */
  context: string;
  /** Dockerfile name inside the context, if not "Dockerfile". */
  dockerfile?: string;
  buildArgs: Record<string, string>;
  /** Id of the base image, so a re-seeded base rebuilds its children. */
  baseImageId: string;
}

export interface BuiltImage {
  reference: string;
  cached: boolean;
  /** The image it was built FROM. */
  base: string;
}

export class ImageBuildError extends SwarmnetError {
  constructor(name: string, step: string, detail: string, outputTail: string) {
    super(`Building image "${name}" failed at: ${step}\n${detail}\n--- last build output ---\n${outputTail}`);
  }
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
}

export async function contentHash(request: BuildRequest, files: string[]): Promise<string> {
  const hash = createHash("sha256");
  hash.update(JSON.stringify({ args: request.buildArgs, base: request.baseImageId, dockerfile: request.dockerfile }));
  for (const file of files) {
    hash.update(`\0${file}\0`);
    hash.update(await readFile(join(request.context, file)));
  }
  return hash.digest("hex").slice(0, 12);
}

interface BuildEvent {
  stream?: string;
  error?: string;
  errorDetail?: { message?: string };
}

async function runBuild(request: BuildRequest, files: string[], reference: string): Promise<void> {
  const docker = outerDocker();
  const stream = await docker.buildImage(
    { context: request.context, src: files },
    {
      t: reference,
      buildargs: request.buildArgs,
      rm: true,
      forcerm: true,
      ...(request.dockerfile ? { dockerfile: request.dockerfile } : {}),
    },
  );
  const output: string[] = [];
  let step = "(before the first step)";
  let failure: string | undefined;
  await new Promise<void>((resolve, reject) =>
    docker.modem.followProgress(
      stream,
      (err) => (err ? reject(err) : resolve()),
      (event: BuildEvent) => {
        const text = event.stream ?? "";
        output.push(...text.split("\n").filter(Boolean));
        const stepLine = /^Step \d+\/\d+ : .*/m.exec(text);
        if (stepLine) step = stepLine[0];
        if (event.error) failure = event.errorDetail?.message ?? event.error;
      },
    ),
  );
  if (failure !== undefined) {
    throw new ImageBuildError(request.name, step, failure, output.slice(-15).join("\n"));
  }
}

export async function buildImage(request: BuildRequest): Promise<BuiltImage> {
  const files = await filesUnder(request.context);
  const reference = `swarmnet/${request.name}:${await contentHash(request, files)}`;
  const base = request.buildArgs.BASE;
  if (await imageId(reference)) return { reference, cached: true, base };
  await timed(`building image ${reference}`, () => runBuild(request, files, reference));
  return { reference, cached: false, base };
}
