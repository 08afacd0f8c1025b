// The name server of a lab network, on the network's gateway address. Nodes and their
// tasks ask it for every name Docker does not resolve itself (a registry, a name a
// scenario expects to resolve to nothing), so such lookups end here quickly and never
// leave this machine. It holds one record, so that a scenario can see Docker forward a
// lookup and bring an answer back; every other name does not exist.
import { createSocket, type Socket } from "node:dgram";

/** The lab's own records: name to IPv4 address (a documentation address: nothing answers there). */
export const LAB_RECORDS: ReadonlyMap<string, string> = new Map([["upstream.swarmnet.test", "192.0.2.53"]]);

const TYPE_A = 1;

/** The question's name, lower-cased, and where the question ends; undefined if it is not one whole question. */
function question(query: Buffer): { name: string; type: number; end: number } | undefined {
  if (query.length < 12 || query.readUInt16BE(4) !== 1) return undefined;
  const labels: string[] = [];
  let end = 12;
  while (end < query.length && query[end] !== 0) {
    labels.push(query.subarray(end + 1, end + 1 + query[end]).toString("latin1"));
    end += query[end] + 1;
  }
  end += 5; // the root label, QTYPE and QCLASS
  if (end > query.length) return undefined;
  return { name: labels.join(".").toLowerCase(), type: query.readUInt16BE(end - 4), end };
}

/**
 * The reply to a DNS query: its id and question, then the lab's A record for the name,
 * "no records of that type" for another type of a name it holds, or "no such name".
 */
export function answerFor(query: Buffer): Buffer | undefined {
  const asked = question(query);
  if (!asked) return undefined;
  const address = LAB_RECORDS.get(asked.name);
  const header = Buffer.from(query.subarray(0, asked.end));
  // QR, the query's opcode and RD, RA; RCODE 0 or 3 (NXDOMAIN); one question.
  header.writeUInt16BE(0x8000 | (query.readUInt16BE(2) & 0x7900) | 0x0080 | (address ? 0 : 3), 2);
  const answers = address && asked.type === TYPE_A ? 1 : 0;
  header.writeUInt16BE(answers, 6);
  header.writeUInt16BE(0, 8);
  header.writeUInt16BE(0, 10);
  if (!answers) return header;
  // The name as a pointer to the question (offset 12), type A, class IN, TTL 60, 4 bytes.
  const record = Buffer.from([0xc0, 12, 0, TYPE_A, 0, 1, 0, 0, 0, 60, 0, 4, ...address!.split(".").map(Number)]);
  return Buffer.concat([header, record]);
}

export class StartedLabDns {
  private constructor(private readonly socket: Socket) {}

  /** Listens on `address`:53 (UDP); rejects where it cannot (no root, address in use). */
  static start(address: string): Promise<StartedLabDns> {
    const socket = createSocket("udp4");
    socket.on("message", (query, peer) => {
      const reply = answerFor(query);
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
