// UDP: echo services through the routing mesh, listeners, and datagrams sent over
// an overlay or crafted by hand and sent at a node's VXLAN port from outside.
import { randomBytes } from "node:crypto";
import { Given, Then, When } from "@cucumber/cucumber";
import { expect } from "expect";
import { forEachNode } from "../support/cluster/per-node.js";
import type { StartedSwarmNode } from "../support/cluster/swarm-node.js";
import { onHostNetwork, runProbeOk } from "../support/probes/runner.js";
import {
  httpAndUdpEchoServer,
  pongFrom,
  sendDatagram,
  udpEchoes,
  udpEchoServer,
  udpListener,
} from "../support/probes/udp.js";
import { INTERVAL_MS } from "../support/run/limits.js";
import { eventually, holds, type Deadline } from "../support/run/poll.js";
import { addressOf, type Endpoint } from "../support/swarm/endpoints.js";
import { exactlyOneOf } from "../support/text/regexp.js";
import { vxlanIdOf } from "../support/swarm/network-view.js";
import { vxlanDatagram } from "../support/text/vxlan-frame.js";
import type { SwarmWorld } from "./world.js";

/** The UDP port listeners of scenarios listen on. */
const LISTENER_PORT = 9999;

Given(
  "a service {service} with {int} replica(s) answering HTTP and UDP, publishing both on port {int}",
  async function (this: SwarmWorld, name: string, replicas: number, port: number) {
    // One port number, two protocols: TCP to the task's HTTP, UDP to its echo.
    await this.swarm.createService({
      name,
      replicas,
      command: httpAndUdpEchoServer(port),
      options: [
        ["--publish", `published=${port},target=80,protocol=tcp`],
        ["--publish", `published=${port},target=${port},protocol=udp`],
      ].flat(),
    });
  },
);

Then(
  "{deadline}, UDP port {int} answers on every node",
  async function (this: SwarmWorld, deadline: Deadline, port: number) {
    const nodes = this.cluster.nodes;
    let seen: Record<string, string | undefined> = {};
    await eventually(
      `UDP port ${port} to answer on every node`,
      async () => {
        const replies = await udpEchoes(
          onHostNetwork(this.manager),
          nodes.map((n) => ({ host: n.address, port })),
        );
        seen = Object.fromEntries(nodes.map((n, i) => [n.name, replies[i]]));
        const answered = Object.fromEntries(nodes.map((n, i) => [n.name, replies[i]?.startsWith("pong") ?? false]));
        expect(answered).toEqual(forEachNode(nodes, true));
      },
      { timeoutMs: deadline.ms, intervalMs: INTERVAL_MS.probe },
    );
    this.log(`UDP ${port} from manager1's host network: ${JSON.stringify(seen)}`);
  },
);

Given(
  "a UDP echo server {word} on the host network of {node}, on port {int}",
  async function (this: SwarmWorld, name: string, node: StartedSwarmNode, port: number) {
    // It answers with its own name, so that a reply says whether it or the mesh took the port.
    await this.swarm.runContainer(node, { name, workload: { command: udpEchoServer(port, name) }, network: "host" });
  },
);

/** Polls UDP `port` of `node` from the manager's host network until one of `replies` answers. */
async function udpPortAnsweredBy(
  world: SwarmWorld,
  deadline: Deadline,
  port: number,
  node: StartedSwarmNode,
  who: string,
  replies: string[],
): Promise<void> {
  let seen: string | undefined;
  await eventually(
    `UDP port ${port} of ${node.name} to be answered by ${who}`,
    async () => {
      [seen] = await udpEchoes(onHostNetwork(world.manager), [{ host: node.address, port }]);
      expect({ reply: seen ?? "(no reply)" }).toEqual({ reply: expect.stringMatching(exactlyOneOf(replies)) });
    },
    { timeoutMs: deadline.ms, intervalMs: INTERVAL_MS.probe },
  );
  world.log(`UDP ${port} of ${node.name}, from ${world.manager.name}'s host network: "${seen}" (${who})`);
}

Then(
  "{deadline}, UDP port {int} of {node} is answered by container {word}",
  async function (this: SwarmWorld, deadline: Deadline, port: number, node: StartedSwarmNode, container: string) {
    await udpPortAnsweredBy(this, deadline, port, node, `container ${container}`, [pongFrom(container)]);
  },
);

Then(
  "{deadline}, UDP port {int} of {node} is answered by a task of {service}",
  async function (this: SwarmWorld, deadline: Deadline, port: number, node: StartedSwarmNode, service: string) {
    const tasks = await this.swarm.everyTaskEndpoint(service);
    const hostnames = await Promise.all(tasks.map(async (t) => (await runProbeOk(t, "hostname")).trim()));
    await udpPortAnsweredBy(this, deadline, port, node, `a task of ${service}`, hostnames.map(pongFrom));
  },
);

Given(
  "a UDP listener {word} on {node} on network {network}",
  async function (this: SwarmWorld, name: string, node: StartedSwarmNode, network: string) {
    await this.swarm.runContainer(node, { name, workload: { command: udpListener(LISTENER_PORT) }, network });
  },
);

/** A payload no other packet carries, so that its arrival is unambiguous. */
function marker(kind: string): string {
  return `swarmnet-${kind}-${randomBytes(6).toString("hex")}`;
}

When(
  "a plain VXLAN packet for network {network}, addressed to {endpoint}, is sent to its node from the host network of {node}",
  async function (this: SwarmWorld, network: string, target: Endpoint, from: StartedSwarmNode) {
    const view = await this.swarm.network(network, target.node);
    const payload = marker("injected");
    const datagram = vxlanDatagram({
      vni: vxlanIdOf(view),
      dstMac: target.macs.get(network) ?? "",
      srcMac: "02:42:de:ad:be:ef",
      // An address of the overlay's subnet that no task holds (the last usable one of a /24).
      srcIp: addressOf(target, network).replace(/\.\d+$/, ".254"),
      dstIp: addressOf(target, network),
      dstPort: LISTENER_PORT,
      payload: `${payload}\n`,
    });
    const port = await this.cluster.dataPathPort();
    await sendDatagram(onHostNetwork(from), target.node.address, port, datagram);
    this.memory.remember("sent payload", payload, `injected into ${network}`);
    this.log(
      `sent ${datagram.length} bytes to ${target.node.address}:${port}: VXLAN id ${vxlanIdOf(view)}, inner ${addressOf(target, network)}:${LISTENER_PORT}`,
    );
  },
);

/** Sends one datagram of `bytes` bytes (a marker, padded) and remembers what it carried. */
async function sendMarked(world: SwarmWorld, source: Endpoint, target: Endpoint, network: string, bytes?: number) {
  const mark = marker("datagram");
  // The listener logs a line per datagram: the payload ends in its newline.
  const payload = bytes === undefined ? mark : mark.padEnd(bytes - 1, "x");
  if (payload.length + 1 !== (bytes ?? payload.length + 1))
    throw new Error(`A datagram of ${bytes} bytes cannot carry its ${mark.length + 1}-byte marker.`);
  await sendDatagram(source, addressOf(target, network), LISTENER_PORT, Buffer.from(`${payload}\n`));
  world.memory.remember("sent payload", payload, `sent on ${network}`);
}

When(
  "{endpoint} sends a UDP datagram to {endpoint} on network {network}",
  async function (this: SwarmWorld, source: Endpoint, target: Endpoint, network: string) {
    await sendMarked(this, source, target, network);
  },
);

When(
  "{endpoint} sends a {int}-byte UDP datagram to {endpoint} on network {network}",
  async function (this: SwarmWorld, source: Endpoint, bytes: number, target: Endpoint, network: string) {
    await sendMarked(this, source, target, network, bytes);
  },
);

/** A payload as a message shows it: a padded one by its marker and size. */
function shown(payload: string): string {
  return payload.length > 60 ? `${payload.replace(/x+$/, "")}… (${payload.length + 1} bytes)` : payload;
}

function sentPayload(world: SwarmWorld, key: string): string {
  return world.memory.recall("sent payload", key);
}

async function received(world: SwarmWorld, listener: Endpoint, payload: string): Promise<{ received: boolean }> {
  return { received: (await world.swarm.containerLog(listener)).includes(payload) };
}

Then(
  "{deadline}, {endpoint} has received the datagram {delivery} {network}",
  async function (this: SwarmWorld, deadline: Deadline, listener: Endpoint, how: string, network: string) {
    const payload = sentPayload(this, `${how} ${network}`);
    await eventually(
      `${listener.label} to receive ${shown(payload)}`,
      async () => expect(await received(this, listener, payload)).toEqual({ received: true }),
      {
        timeoutMs: deadline.ms,
        intervalMs: INTERVAL_MS.normal,
      },
    );
  },
);

Then(
  "for {int} s, {endpoint} does not receive the datagram {delivery} {network}",
  async function (this: SwarmWorld, seconds: number, listener: Endpoint, how: string, network: string) {
    const payload = sentPayload(this, `${how} ${network}`);
    // Each sample reads the listener's log: a listener that could not be read fails the step.
    const samples = await holds(
      `${listener.label} not receiving ${shown(payload)}`,
      async () => expect(await received(this, listener, payload)).toEqual({ received: false }),
      {
        durationMs: seconds * 1000,
      },
    );
    this.log(
      `${listener.label} did not receive the datagram ${how} ${network} in ${seconds} s (${samples} samples of its log)`,
    );
  },
);
