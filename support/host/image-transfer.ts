// Images a remote outer daemon lacks, copied from the local one (docker save | docker
// load through the API): faster than building them again over there (a UML kernel
// host builds at a 28th of the host's speed).
import type Docker from "dockerode";
import { performance } from "node:perf_hooks";
import { ignoreNotFound } from "../run/errors.js";
import { formatSeconds, progress } from "../run/log.js";

async function imageId(docker: Docker, reference: string): Promise<string | undefined> {
  return (await docker.getImage(reference).inspect().catch(ignoreNotFound))?.Id;
}

/**
 * Copies the images `to` lacks, or has under the same name but as another image
 * (a base image seeded there separately makes every image built on it differ); says
 * which and how long it took.
 */
export async function transferImages(from: Docker, to: Docker, references: string[]): Promise<string[]> {
  const missing: string[] = [];
  for (const reference of references) {
    if ((await imageId(to, reference)) !== (await imageId(from, reference))) missing.push(reference);
  }
  if (missing.length === 0) {
    progress(`the remote daemon has every image already (${references.length})`);
    return [];
  }
  const start = performance.now();
  progress(`copying ${missing.length} image(s) to the remote daemon: ${missing.join(", ")}...`);
  // Typed by @types/dockerode only for one image; the API takes several names.
  const archive = await (
    from as unknown as { getImages(o: { names: string[] }): Promise<NodeJS.ReadableStream> }
  ).getImages({
    names: missing,
  });
  const response = await to.loadImage(archive, { quiet: true });
  await new Promise<void>((resolve, reject) =>
    to.modem.followProgress(response, (err) => (err ? reject(err) : resolve())),
  );
  for (const reference of missing) {
    if ((await imageId(to, reference)) === undefined)
      throw new Error(`${reference} is still missing on the remote daemon after the copy`);
  }
  progress(`copied ${missing.length} image(s) in ${formatSeconds(performance.now() - start)}`);
  return missing;
}
