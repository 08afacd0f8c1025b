// `npm run engine:pack -- <line> <static|debs|binaries> <out>`: a Debian engine line's
// files in the shape Docker publishes them, to try SWARMNET_ENGINE=<path> without a
// download: Docker's static tarball layout (docker/dockerd, ...), a directory of .deb
// files (Debian's stand in for docker-ce's), or a directory of binaries.
import { cp, mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { execa } from "execa";
import { runToEnd } from "../support/host/container-logs.js";
import { ImageCatalogue } from "../support/host/images/catalogue.js";
import { REQUIRED_BINARIES } from "../support/host/images/engine-files.js";
import { config } from "../support/run/config.js";
import { findEngine, loadEngineTable } from "../support/run/engines.js";
import { progress } from "../support/run/log.js";

const SHAPES = ["static", "debs", "binaries"] as const;

async function main([lineName, shape, out]: string[]): Promise<void> {
  if (!lineName || !SHAPES.includes(shape as (typeof SHAPES)[number]) || !out)
    throw new Error("usage: npm run engine:pack -- <engine line> <static|debs|binaries> <out>");
  const line = findEngine(loadEngineTable(), lineName);
  if (line.source.kind !== "debian" || !line.suite) throw new Error(`engine ${line.name} is not a Debian line`);
  const target = resolve(out);
  const work = await mkdtemp(join(tmpdir(), "swarmnet-pack-"));
  try {
    if (shape === "debs") {
      // The packages apt would fetch for the line, as files; apt resolves the rest at install.
      const packages = [...line.source.packages.split(/\s+/), "containerd", "runc"];
      const fetched = await runToEnd(
        `debian:${line.suite}`,
        [
          "sh",
          "-c",
          `apt-get -o Acquire::Check-Valid-Until=false update -qq && cd /out && apt-get download -qq ${packages.join(" ")}`,
        ],
        { Binds: [`${work}:/out`] },
      );
      if (fetched.exitCode !== 0) throw new Error(`apt-get download failed:\n${fetched.output}`);
      await cp(work, target, { recursive: true });
    } else {
      const images = await ImageCatalogue.prepare(config().nodeImages);
      const copy = REQUIRED_BINARIES.concat("docker-init", "ctr")
        .map((b) => `cp -L "$(command -v ${b})" /out/docker/`)
        .join(" && ");
      const copied = await runToEnd(await images.nodeImage(line), ["sh", "-c", `mkdir -p /out/docker && ${copy}`], {
        Binds: [`${work}:/out`],
      });
      if (copied.exitCode !== 0) throw new Error(`copying the binaries failed:\n${copied.output}`);
      await mkdir(dirname(target), { recursive: true });
      if (shape === "binaries") await cp(join(work, "docker"), target, { recursive: true });
      else await execa("tar", ["-czf", target, "-C", work, "docker"]);
    }
    progress(`engine ${line.name} (Debian ${line.suite}) as ${shape}: ${target}`);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  if (shape === "static" && !basename(target).startsWith("docker-"))
    progress("Docker names its tarballs docker-<version>.tgz; any name works here");
}

await main(process.argv.slice(2));
