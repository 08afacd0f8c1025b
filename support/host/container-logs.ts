// The last lines a container wrote, read once (not followed).
import { outerDocker } from "./docker-host.js";

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
