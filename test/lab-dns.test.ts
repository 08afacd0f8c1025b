import { describe, it } from "node:test";
import { createSocket } from "node:dgram";
import { expect } from "expect";
import { LAB_RECORDS, StartedLabDns, answerFor } from "../support/host/lab-dns.js";

/** A query for `name` (type A), with an EDNS record after the question, as resolvers send. */
function query(name: string, id = 0x1234, type = 1): Buffer {
  const labels = name.split(".").flatMap((l) => [l.length, ...Buffer.from(l)]);
  const question = Buffer.from([...labels, 0, 0, type, 0, 1]);
  const header = Buffer.from([id >> 8, id & 0xff, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 1]);
  const opt = Buffer.from([0, 0, 41, 0x10, 0, 0, 0, 0, 0, 0, 0]);
  return Buffer.concat([header, question, opt]);
}

describe("the lab's name server", () => {
  it("answers a query with its id and question, no such name, and nothing else", () => {
    const reply = answerFor(query("registry-1.docker.io")) as Buffer;
    expect(reply.readUInt16BE(0)).toBe(0x1234);
    expect(reply.readUInt16BE(2)).toBe(0x8183); // a response, RD and RA, NXDOMAIN
    expect([4, 6, 8, 10].map((o) => reply.readUInt16BE(o))).toEqual([1, 0, 0, 0]);
    expect(reply.subarray(12).toString("latin1")).toContain("registry-1");
    expect(reply.length).toBe(12 + "registry-1.docker.io".length + 2 + 4);
  });

  it("answers its own record, whatever the case of the name", () => {
    const [name, address] = [...LAB_RECORDS][0];
    const reply = answerFor(query(name.toUpperCase(), 9)) as Buffer;
    expect(reply.readUInt16BE(2)).toBe(0x8180); // a response, RD and RA, no error
    expect([4, 6, 8, 10].map((o) => reply.readUInt16BE(o))).toEqual([1, 1, 0, 0]);
    expect([...reply.subarray(-4)].join(".")).toBe(address);
    expect(reply.readUInt16BE(reply.length - 14)).toBe(1); // type A
  });

  it("answers another type of its own name with no records, not with no such name", () => {
    const reply = answerFor(query([...LAB_RECORDS.keys()][0], 9, 28)) as Buffer;
    expect(reply.readUInt16BE(2) & 0xf).toBe(0);
    expect(reply.readUInt16BE(6)).toBe(0);
  });

  it("ignores what is not one whole question", () => {
    expect(answerFor(Buffer.from([1, 2, 3]))).toBeUndefined();
    expect(answerFor(query("x").subarray(0, 14))).toBeUndefined();
  });

  it("answers over UDP on its address", async (t) => {
    const server = await StartedLabDns.start("127.0.0.1").catch(() => undefined);
    if (!server) return t.skip("port 53 needs root");
    const client = createSocket("udp4");
    try {
      const reply = await new Promise<Buffer>((resolve) => {
        client.once("message", resolve);
        client.send(query("nothing.example", 7), 53, "127.0.0.1");
      });
      expect(reply.readUInt16BE(0)).toBe(7);
      expect(reply.readUInt16BE(2) & 0xf).toBe(3);
    } finally {
      client.close();
      server.close();
    }
  });
});
