// The outer Docker daemon: one dockerode client, and a clear error when there is none.
import Docker from "dockerode";
import { config } from "../run/config.js";
import { SwarmnetError } from "../run/errors.js";

let client: Docker | undefined;

export function outerDocker(): Docker {
  client ??= new Docker();
  return client;
}

export class NoDockerDaemonError extends SwarmnetError {
  constructor(cause: unknown) {
    const where = config().dockerHost ?? "unix:///var/run/docker.sock";
    super(
      `No Docker daemon answers at ${where} (${cause instanceof Error ? cause.message : String(cause)}).\n` +
        "Fix: start Docker (e.g. 'sudo systemctl start docker') or set DOCKER_HOST; as root on " +
        "Debian/Ubuntu, 'bash ci/ensure-docker.sh' installs docker.io and starts dockerd.",
      { cause },
    );
  }
}

/** Fails fast, with the fix, when the outer daemon cannot be reached. */
export async function requireOuterDaemon(): Promise<{ version: string }> {
  try {
    const version = await outerDocker().version();
    return { version: version.Version };
  } catch (error) {
    throw new NoDockerDaemonError(error);
  }
}
