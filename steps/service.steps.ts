// Services: creating them the short way, and what the manager says of their tasks.
import { Given, Then, When, type DataTable } from "@cucumber/cucumber";
import { expect } from "expect";
import { DEADLINE_MS, LOG_TAIL_LINES, STEP_TIMEOUT_MS } from "../support/run/limits.js";
import { eventually, holds, scaledTimeout, type Deadline } from "../support/run/poll.js";
import { bodyServer } from "../support/probes/http.js";
import { addressOf } from "../support/swarm/endpoints.js";
import { observeDualStack } from "../support/swarm/dual-stack.js";
import { healthCheckedSpec, taskContainers } from "../support/swarm/health.js";
import { meaningfulLines, missingLines } from "../support/text/lines.js";
import { subnetOf } from "../support/swarm/network-view.js";
import type { ServiceSpec } from "../support/swarm/swarm.js";
import { splitWords } from "../support/text/command-line.js";
import { inSubnet } from "../support/text/ipv4.js";
import type { Endpoint } from "../support/swarm/endpoints.js";
import { rowForEngine, rowsOf } from "./tables.js";
import { watchWhile } from "./watching.js";
import type { SwarmWorld } from "./world.js";

async function createService(world: SwarmWorld, spec: ServiceSpec): Promise<void> {
  const tasks = await world.swarm.createService(spec);
  // Which slot landed on which node is the scheduler's choice, different on every run: counts only.
  world.log(`${spec.name}: ${tasks.length} running task(s) on ${new Set(tasks.map((t) => t.node)).size} node(s)`);
}

Given(
  "a service {service} with {int} replica(s) on network {network}",
  async function (this: SwarmWorld, name: string, replicas: number, network: string) {
    await createService(this, { name, replicas, networks: [network] });
  },
);

Given(
  "a service {service} with {int} replica(s) on network {network} in endpoint mode dnsrr",
  async function (this: SwarmWorld, name: string, replicas: number, network: string) {
    await createService(this, { name, replicas, networks: [network], endpointMode: "dnsrr" });
  },
);

Given(
  "a global service {service} on network {network}",
  async function (this: SwarmWorld, name: string, network: string) {
    // One task per node, never moved elsewhere: "my-web@worker2" always names one task.
    await createService(this, { name, replicas: "global", networks: [network] });
  },
);

Given(
  "a global service {service} on network {network} serving a body of {int} bytes",
  async function (this: SwarmWorld, name: string, network: string, bytes: number) {
    // busybox's httpd in the probe image, at /body: a size the web workload's one line never reaches.
    await createService(this, { name, replicas: "global", networks: [network], command: bodyServer(bytes) });
  },
);

Given(
  "a service {service} with {int} replica(s) running `{}` with options `{}`",
  async function (this: SwarmWorld, name: string, replicas: number, command: string, options: string) {
    // The probe image (a shell, busybox, socat) runs the command instead of the web server.
    await createService(this, { name, replicas, command: splitWords(command), options: splitWords(options) });
  },
);

Given(
  "a service {service} with {int} replica(s) on network {network}, healthy only while the file {string} exists in it",
  async function (this: SwarmWorld, name: string, replicas: number, network: string, file: string) {
    // Its tasks start without the file: they run, but stay "starting" until it is made.
    await this.swarm.submitService(healthCheckedSpec(name, replicas, network, file));
    const byNode = await taskContainers(this.cluster, name, replicas);
    this.log(`${name}: ${replicas} container(s), health starting: ${JSON.stringify(Object.fromEntries(byNode))}`);
  },
);

When(
  "the file {string} is made in every task container of {service}",
  async function (this: SwarmWorld, file: string, service: string) {
    const inspected = await this.swarm.inspectService(service);
    const replicas = inspected.Spec.Mode?.Replicated?.Replicas;
    if (replicas === undefined)
      throw new Error(`Service ${service} is not replicated: how many containers to wait for?`);
    const byNode = await taskContainers(this.cluster, service, replicas);
    await Promise.all(
      [...byNode].flatMap(([node, ids]) =>
        ids.map((id) => this.cluster.node(node).dockerOk(["exec", id, "touch", file])),
      ),
    );
    this.acted(`${file} made in the ${replicas} container(s) of ${service}`);
  },
);

When("the file {string} is removed in {endpoint}", async function (this: SwarmWorld, file: string, task: Endpoint) {
  await task.node.dockerOk(["exec", task.container, "rm", file]);
  this.acted(`${file} removed in ${task.label}`);
});

Given(
  "a service {service} with {int} replica(s) with options `{}`",
  async function (this: SwarmWorld, name: string, replicas: number, options: string) {
    await createService(this, { name, replicas, options: splitWords(options) });
  },
);

When(
  "I note the addresses of the tasks of {service} on network {network}",
  async function (this: SwarmWorld, service: string, network: string) {
    const addresses = (await this.swarm.everyTaskEndpoint(service)).map((t) => addressOf(t, network));
    this.memory.remember("noted addresses", addresses, `${service} on ${network}`);
    this.log(`noted addresses of ${service} on ${network}: ${addresses.join(", ")}`);
  },
);

When("I note the virtual IP of {service}", async function (this: SwarmWorld, service: string) {
  const vips = await this.swarm.virtualIps(service);
  if (vips.length === 0) throw new Error(`Service ${service} has no virtual IP to note.`);
  this.memory.remember("noted virtual IPs", vips, service);
  this.log(`noted virtual IP of ${service}: ${vips.join(", ")}`);
});

Then("service {service} has a virtual IP other than its noted one", async function (this: SwarmWorld, service: string) {
  const noted = this.memory.recall("noted virtual IPs", service);
  const now = await this.swarm.virtualIps(service);
  this.log(`virtual IP of ${service}: ${now.join(", ") || "none"} (noted: ${noted.join(", ")})`);
  if (now.length === 0) throw new Error(`Service ${service} has no virtual IP.`);
  expect(now.filter((vip) => noted.includes(vip))).toEqual([]);
});

Then(
  "no task of {service} has a noted address on network {network}",
  async function (this: SwarmWorld, service: string, network: string) {
    const noted = this.memory.recall("noted addresses", `${service} on ${network}`);
    const now = (await this.swarm.everyTaskEndpoint(service)).map((t) => addressOf(t, network));
    this.log(`addresses of ${service} on ${network} now: ${now.join(", ")} (noted: ${noted.join(", ")})`);
    expect({ now, reused: now.filter((a) => noted.includes(a)) }).toEqual({ now, reused: [] });
  },
);

When("I scale service {service} to {int}", async function (this: SwarmWorld, service: string, replicas: number) {
  await this.swarm.scale(service, replicas);
});

When(
  "service {service} is scaled to 0 and back to {int}, then force-updated, {int} times",
  { timeout: scaledTimeout(STEP_TIMEOUT_MS.churn) },
  async function (this: SwarmWorld, service: string, replicas: number, cycles: number) {
    this.acted(`${cycles} cycles of scaling ${service} to 0 and ${replicas}, and update --force`);
    const started = Date.now();
    for (let cycle = 0; cycle < cycles; cycle++) {
      await this.swarm.scale(service, 0);
      await this.swarm.scale(service, replicas);
      await this.swarm.updateService(service, ["--force"]);
    }
    const seconds = (Date.now() - started) / 1000;
    this.observe({ kind: "timing", what: `${cycles} churn cycles of ${service}`, seconds });
    this.log(`${cycles} churn cycles of ${service} in ${seconds.toFixed(1)} s`);
  },
);

Then(
  "service {service} has {int} running task(s) on {int} different node(s)",
  async function (this: SwarmWorld, service: string, replicas: number, nodes: number) {
    // Tasks move during drains and updates: poll until the placement holds.
    await eventually(
      `${replicas} running tasks of ${service} on ${nodes} nodes`,
      async () => {
        const running = await this.swarm.runningTasks(service);
        expect({ running: running.length, nodes: new Set(running.map((t) => t.node)).size }).toEqual({
          running: replicas,
          nodes,
        });
      },
      { timeoutMs: DEADLINE_MS.placement },
    );
  },
);

Then(
  "service {service} has a virtual IP on network {network} inside the network's subnet",
  async function (this: SwarmWorld, service: string, network: string) {
    const view = await this.swarm.network(network);
    const vip = (await this.swarm.inspectService(service)).Endpoint.VirtualIPs?.find(
      (v) => v.NetworkID === view.Id,
    )?.Addr;
    expect({ network, vip }).toEqual({ network, vip: expect.stringMatching(/^\d+\.\d+\.\d+\.\d+\/\d+$/) });
    expect({ vip, inside: inSubnet(vip!, subnetOf(view)) }).toEqual({ vip, inside: true });
  },
);

Then("service {service} has no virtual IP", async function (this: SwarmWorld, service: string) {
  const inspected = await this.swarm.inspectService(service);
  expect({ mode: inspected.Spec.EndpointSpec?.Mode, vips: inspected.Endpoint.VirtualIPs ?? [] }).toEqual({
    mode: "dnsrr",
    vips: [],
  });
});

Then(
  "service {service} publishes port {int} as {int} in mode {word}",
  async function (this: SwarmWorld, service: string, target: number, published: number, mode: string) {
    const ports = (await this.swarm.inspectService(service)).Endpoint.Ports ?? [];
    expect(
      ports.map((p) => ({ target: p.TargetPort, published: p.PublishedPort, mode: p.PublishMode })),
    ).toContainEqual({ target, published, mode });
  },
);

Then(
  "the tasks of {service} have distinct addresses inside the subnet of network {network}",
  async function (this: SwarmWorld, service: string, network: string) {
    await distinctAddressesInside(this, service, network, subnetOf(await this.swarm.network(network)));
  },
);

Then(
  "the tasks of {service} have distinct addresses on network {network} inside {string}",
  async function (this: SwarmWorld, service: string, network: string, range: string) {
    await distinctAddressesInside(this, service, network, range);
  },
);

async function distinctAddressesInside(
  world: SwarmWorld,
  service: string,
  network: string,
  subnet: string,
): Promise<void> {
  const tasks = await world.swarm.everyTaskEndpoint(service);
  const addresses = tasks.map((t) => addressOf(t, network));
  // Which task got which address depends on timing: the report says how many, and inside what.
  world.log(`${service} on ${network}: ${new Set(addresses).size} distinct address(es) inside ${subnet}`);
  expect({ distinct: new Set(addresses).size, outside: addresses.filter((a) => !inSubnet(a, subnet)) }).toEqual({
    distinct: tasks.length,
    outside: [],
  });
}

/** How long tasks that an engine never starts are watched, to say that they do not. */
const NOT_STARTING_WINDOW_MS = 15_000;

/** Tasks an engine never starts: they exist, stay in `state` for the window, and the manager's log says why. */
async function neverStarting(world: SwarmWorld, service: string, state: string, logSays: string): Promise<void> {
  const desired = await world.swarm.desiredTasks(service);
  if (desired.length === 0) throw new Error(`${service} has no tasks at all: nothing to watch not starting.`);
  await eventually(`the manager's daemon log to say "${logSays}"`, async () => {
    expect(await world.manager.daemonLogTail(LOG_TAIL_LINES.searched)).toContain(logSays);
  });
  await holds(
    `all ${desired.length} tasks of ${service} in state ${state}`,
    async () => {
      const states = (await world.swarm.desiredTasks(service)).map((t) => t.currentState.split(" ")[0]);
      expect(states).toEqual(desired.map(() => state));
    },
    { durationMs: NOT_STARTING_WINDOW_MS },
  );
  world.log(
    `${desired.length} task(s) never ran: ${desired.map((t) => t.currentState).join(", ")}; the manager logged "${logSays}"`,
  );
}

Then(
  "{deadline}, the swarm gives each task of {service} addresses on network {network}, by engine:",
  async function (this: SwarmWorld, deadline: Deadline, service: string, network: string, table: DataTable) {
    const version = await this.manager.engineVersion();
    const rows = rowsOf(table, ["engine", "running", "addresses from the swarm"], ["state", "manager's log says"]);
    const row = rowForEngine(rows, version, this.manager.name);
    const running = Number(row.running);
    if (!Number.isInteger(running) || running < 0) throw new Error(`"running" must be a count, got "${row.running}".`);
    if (running === 0) {
      const { state, "manager's log says": logSays } = row;
      if (!state || !logSays)
        throw new Error(
          `A row with 0 running tasks needs the "state" its tasks stay in and what the "manager's log says" why.`,
        );
      return neverStarting(this, service, state, logSays);
    }
    const perTask = Number(row["addresses from the swarm"]);
    if (!Number.isInteger(perTask) || perTask < 0) {
      throw new Error(`"addresses from the swarm" must be a count per task, got "${row["addresses from the swarm"]}".`);
    }
    await this.swarm.tasksRunning(service, running, deadline.ms);
    // Rejections (20.10: "Invalid address ... does not belong to any of this network's
    // subnets") are engine behaviour this scenario records: show them. The swarm keeps
    // only the last few ended tasks per slot (task history limit 5), so this is a floor.
    const ended = (await this.swarm.endedTasks(service)).map((t) => `${t.node}: ${t.currentState}: ${t.error}`);
    this.log(`at least ${ended.length} task(s) ended before these ran: ${ended.join("; ") || "none"}`);
    const { tasks, findings: found } = await observeDualStack(this.swarm, service, network);
    for (const t of tasks)
      this.log(
        `${t.label}: the swarm gave ${t.fromSwarm.join(", ") || "nothing"}; its container has ${t.own.join(", ")}`,
      );
    this.log(
      `addresses a node made up: ${found.madeUp.length}, held by more than one task: ${found.madeUpRepeated.join(", ") || "none"}`,
    );
    // What nodes make up is reported above, not claimed: it is the nodes', not the swarm's.
    const { perTask: counts, notOnContainer, outsideSubnets, givenTwice } = found;
    expect({ perTask: counts, notOnContainer, outsideSubnets, givenTwice }).toEqual({
      perTask: tasks.map(() => perTask),
      notOnContainer: [],
      outsideSubnets: [],
      givenTwice: [],
    });
  },
);

When(
  "service {service} is updated with `{}` while {endpoint} keeps requesting {string} over HTTP",
  async function (this: SwarmWorld, service: string, options: string, client: Endpoint, host: string) {
    await watchWhile(this, client, host, async () => {
      this.acted(`service ${service} updated with ${options}`);
      await this.swarm.updateService(service, splitWords(options));
    });
  },
);

When("service {service} is updated with `{}`", async function (this: SwarmWorld, service: string, options: string) {
  this.acted(`service ${service} updated with ${options}`);
  await this.swarm.updateService(service, splitWords(options));
});

Then(
  "every task of {service} has these lines in its resolv.conf:",
  async function (this: SwarmWorld, service: string, expected: string) {
    const wanted = meaningfulLines(expected);
    // After an update the tasks are replaced one by one: poll until every task shows the lines.
    await eventually(`every task of ${service} to show ${wanted.length} lines in its resolv.conf`, async () => {
      const seen = missingLines(await this.swarm.resolvConfs(service), wanted);
      // The diff shows what is missing, next to the lines the task has.
      expect(seen).toEqual(
        Object.fromEntries(Object.entries(seen).map(([task, { lines }]) => [task, { missing: [], lines }])),
      );
    });
  },
);

Given(
  "a global service {service} with options `{}`",
  async function (this: SwarmWorld, service: string, options: string) {
    await createService(this, { name: service, replicas: "global", options: splitWords(options) });
  },
);
