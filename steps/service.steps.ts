// Services: creating them the short way, and what the manager says of their tasks.
import { Given, Then, When } from "@cucumber/cucumber";
import { expect } from "expect";
import { splitWords } from "../support/command-line.js";
import { addressOf, taskEndpoints } from "../support/endpoints.js";
import { IN_NODE_WEB_IMAGE } from "../support/images/catalogue.js";
import { inSubnet } from "../support/ipv4.js";
import { inspectNetworkOn, subnetOf } from "../support/overlay-view.js";
import { eventually } from "../support/poll.js";
import { desiredTasks, waitForRunningTasks } from "../support/service-tasks.js";
import type { SwarmWorld } from "./world.js";

/** `replicas` "global" means one task per node. */
async function createService(world: SwarmWorld, service: string, replicas: number | "global", extra: string[]): Promise<void> {
  const mode = replicas === "global" ? ["--mode", "global"] : ["--replicas", String(replicas)];
  // --detach: swarmnet polls for convergence itself instead of docker's fixed 5 s "verify" wait.
  // --no-resolve-image: the image is local to the nodes; never look it up on a registry.
  await world.manager.dockerOk(["service", "create", "--detach", "--no-resolve-image", ...mode, "--name", service, ...extra, IN_NODE_WEB_IMAGE]);
  await waitForRunningTasks(world.cluster, service, replicas === "global" ? world.cluster.nodes.length : replicas);
}

Given("a service {service} with {int} replica(s) on network {network}", async function (this: SwarmWorld, service: string, replicas: number, network: string) {
  await createService(this, service, replicas, ["--network", network]);
});

Given(
  "a service {service} with {int} replica(s) on network {network} in endpoint mode dnsrr",
  async function (this: SwarmWorld, service: string, replicas: number, network: string) {
    await createService(this, service, replicas, ["--network", network, "--endpoint-mode", "dnsrr"]);
  },
);

Given("a global service {service} on network {network}", async function (this: SwarmWorld, service: string, network: string) {
  // One task per node, never moved elsewhere: "my-web@worker2" always names one task.
  await createService(this, service, "global", ["--network", network]);
});

Given("a service {service} with {int} replica(s) with options `{}`", async function (this: SwarmWorld, service: string, replicas: number, options: string) {
  await createService(this, service, replicas, splitWords(options));
});

When("I note the addresses of the tasks of {service} on network {network}", async function (this: SwarmWorld, service: string, network: string) {
  const addresses = (await taskEndpoints(this.cluster, service)).map((t) => addressOf(t, network));
  this.noted.set(`${service}@${network}`, addresses);
  this.log(`noted addresses of ${service} on ${network}: ${addresses.join(", ")}`);
});

Then("no task of {service} has a noted address on network {network}", async function (this: SwarmWorld, service: string, network: string) {
  const noted = this.noted.get(`${service}@${network}`);
  if (!noted) throw new Error(`No addresses of ${service} on ${network} were noted: use "When I note the addresses of the tasks of ${service} on network ${network}" first.`);
  const now = (await taskEndpoints(this.cluster, service)).map((t) => addressOf(t, network));
  this.log(`addresses of ${service} on ${network} now: ${now.join(", ")} (noted: ${noted.join(", ")})`);
  expect({ now, reused: now.filter((a) => noted.includes(a)) }).toEqual({ now, reused: [] });
});

When("I scale service {service} to {int}", async function (this: SwarmWorld, service: string, replicas: number) {
  await this.manager.dockerOk(["service", "scale", "--detach", `${service}=${replicas}`]);
  await waitForRunningTasks(this.cluster, service, replicas);
});

Then("service {service} has {int} running task(s) on {int} different node(s)", async function (this: SwarmWorld, service: string, replicas: number, nodes: number) {
  // Tasks move during drains and updates: poll until the placement holds.
  await eventually(`${replicas} running tasks of ${service} on ${nodes} nodes`, async () => {
    const tasks = await desiredTasks(this.cluster, service);
    const running = tasks.filter((t) => t.currentState.startsWith("Running"));
    expect({ running: running.length, nodes: new Set(running.map((t) => t.node)).size }).toEqual({ running: replicas, nodes });
  }, { timeoutMs: 90_000 });
});

interface ServiceEndpoint {
  VirtualIPs?: { NetworkID: string; Addr: string }[];
  Ports?: { TargetPort: number; PublishedPort: number; PublishMode: string; Protocol: string }[];
}

async function serviceEndpoint(world: SwarmWorld, service: string): Promise<ServiceEndpoint> {
  return (await world.manager.inspect<{ Endpoint: ServiceEndpoint }>("service", service)).Endpoint;
}

Then("service {service} has a virtual IP on network {network} inside the network's subnet", async function (this: SwarmWorld, service: string, network: string) {
  const view = await inspectNetworkOn(this.manager, network);
  const vips = (await serviceEndpoint(this, service)).VirtualIPs ?? [];
  const vip = vips.find((v) => v.NetworkID === view.Id);
  expect({ network, vip: vip?.Addr }).toEqual({ network, vip: expect.stringMatching(/^\d+\.\d+\.\d+\.\d+\/\d+$/) });
  expect({ vip: vip?.Addr, inside: inSubnet(vip!.Addr, subnetOf(view)) }).toEqual({ vip: vip?.Addr, inside: true });
});

Then("service {service} has no virtual IP", async function (this: SwarmWorld, service: string) {
  const inspected = await this.manager.inspect<{ Spec: { EndpointSpec?: { Mode?: string } }; Endpoint: ServiceEndpoint }>("service", service);
  expect({ mode: inspected.Spec.EndpointSpec?.Mode, vips: inspected.Endpoint.VirtualIPs ?? [] }).toEqual({ mode: "dnsrr", vips: [] });
});

Then("service {service} publishes port {int} as {int} in mode {word}", async function (this: SwarmWorld, service: string, target: number, published: number, mode: string) {
  const ports = (await serviceEndpoint(this, service)).Ports ?? [];
  expect(ports.map((p) => ({ target: p.TargetPort, published: p.PublishedPort, mode: p.PublishMode }))).toContainEqual({ target, published, mode });
});

Then("the tasks of {service} have distinct addresses inside the subnet of network {network}", async function (this: SwarmWorld, service: string, network: string) {
  await distinctAddressesInside(this, service, network, subnetOf(await inspectNetworkOn(this.manager, network)));
});

Then("the tasks of {service} have distinct addresses on network {network} inside {string}", async function (this: SwarmWorld, service: string, network: string, range: string) {
  await distinctAddressesInside(this, service, network, range);
});

async function distinctAddressesInside(world: SwarmWorld, service: string, network: string, subnet: string): Promise<void> {
  const tasks = await taskEndpoints(world.cluster, service);
  const addresses = tasks.map((t) => addressOf(t, network));
  world.log(`${service} on ${network} (${subnet}): ${tasks.map((t, i) => `${t.label}@${t.node.name}=${addresses[i]}`).join(", ")}`);
  expect({ distinct: new Set(addresses).size, outside: addresses.filter((a) => !inSubnet(a, subnet)) }).toEqual({ distinct: tasks.length, outside: [] });
}
