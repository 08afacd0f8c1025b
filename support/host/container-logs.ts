// The last lines a container wrote, read once (not followed), and one-off containers
// run to their end.
import { outerDocker } from "./docker-host.js";
import { runLabels } from "./labels.js";

/** Non-TTY container logs come multiplexed in frames with an 8-byte header. */
export function demuxLogs(buffer: Buffer): string {
  const parts: string[] = [];
  for (let offset = 0; offset + 8 <= buffer.length;) {
    const size = buffer.readUInt32BE(offset + 4);
    parts.push(buffer.subarray(offset + 8, offset + 8 + size).toString());
    offset += 8 + size;
  }
  return parts.join("");
}

export async function containerLogTail(containerId: string, lines?: number): Promise<string> {
  const buffer = await outerDocker()
    .getContainer(containerId)
    .logs({ stdout: true, stderr: true, follow: false, ...(lines ? { tail: lines } : {}) });
  return demuxLogs(buffer);
}

/** Runs `command` in a labelled container of `image` to its end: its exit code and output. */
export async function runToEnd(
  image: string,
  command: string[],
  hostConfig: Record<string, unknown> = {},
): Promise<{ exitCode: number; output: string }> {
  const container = await outerDocker().createContainer({
    Image: image,
    Entrypoint: command,
    Labels: runLabels(),
    HostConfig: hostConfig,
  });
  try {
    await container.start();
    const { StatusCode } = (await container.wait()) as { StatusCode: number };
    return { exitCode: StatusCode, output: await containerLogTail(container.id) };
  } finally {
    await container.remove({ force: true }).catch(() => undefined);
  }
}
