// The name server of a lab network: on the network's gateway address, it answers
// every query at once that the name does not exist. Nodes and their tasks ask it for
// every name Docker does not resolve itself (a registry, a name a scenario expects to
// resolve to nothing), so such lookups end here quickly and never leave this machine.
import { createSocket, type Socket } from "node:dgram";

/** The reply to a DNS query: its id and question, "no such name", nothing else. */
export function nxdomainFor(query: Buffer): Buffer | undefined {
  if (query.length < 12 || query.readUInt16BE(4) !== 1) return undefined;
  let end = 12;
  while (end < query.length && query[end] !== 0) end += query[end] + 1;
  end += 5; // the root label, QTYPE and QCLASS
  if (end > query.length) return undefined;
  const reply = Buffer.from(query.subarray(0, end));
  // QR, the query's opcode and RD, RA; RCODE 3 (NXDOMAIN); one question, no records.
  reply.writeUInt16BE(0x8000 | (query.readUInt16BE(2) & 0x7900) | 0x0080 | 3, 2);
  reply.writeUInt16BE(0, 6);
  reply.writeUInt16BE(0, 8);
  reply.writeUInt16BE(0, 10);
  return reply;
}

export class StartedLabDns {
  private constructor(private readonly socket: Socket) {}

  /** Listens on `address`:53 (UDP); rejects where it cannot (no root, address in use). */
  static start(address: string): Promise<StartedLabDns> {
    const socket = createSocket("udp4");
    socket.on("message", (query, peer) => {
      const reply = nxdomainFor(query);
      if (reply) socket.send(reply, peer.port, peer.address);
    });
    return new Promise((resolve, reject) => {
      socket.once("error", reject);
      socket.bind(53, address, () => {
        socket.off("error", reject);
        socket.unref();
        resolve(new StartedLabDns(socket));
      });
    });
  }

  close(): void {
    this.socket.close();
  }
}
