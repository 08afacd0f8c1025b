// Services: creating them the short way, and what the manager says of their tasks.
import { Given, Then, When, type DataTable } from "@cucumber/cucumber";
import { expect } from "expect";
import { DEADLINE_MS, STEP_TIMEOUT_MS } from "../support/run/limits.js";
import { eventually, holds, scaledTimeout, type Deadline } from "../support/run/poll.js";
import { addressOf, ipv6AddressOf } from "../support/swarm/endpoints.js";
import { subnetOf } from "../support/swarm/network-view.js";
import type { ServiceSpec } from "../support/swarm/swarm.js";
import { splitWords } from "../support/text/command-line.js";
import { inSubnet } from "../support/text/ipv4.js";
import { inIpv6Subnet } from "../support/text/ipv6.js";
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
  "a service {service} with {int} replica(s) with options `{}`",
  async function (this: SwarmWorld, name: string, replicas: number, options: string) {
    await createService(this, { name, replicas, options: splitWords(options) });
  },
);

When(
  "I note the addresses of the tasks of {service} on network {network}",
  async function (this: SwarmWorld, service: string, network: string) {
    const addresses = (await this.swarm.everyTaskEndpoint(service)).map((t) => addressOf(t, network));
    this.noted.set(`${service}@${network}`, addresses);
    this.log(`noted addresses of ${service} on ${network}: ${addresses.join(", ")}`);
  },
);

Then(
  "no task of {service} has a noted address on network {network}",
  async function (this: SwarmWorld, service: string, network: string) {
    const noted = this.noted.get(`${service}@${network}`);
    if (!noted)
      throw new Error(
        `No addresses of ${service} on ${network} were noted: use "When I note the addresses of the tasks of ${service} on network ${network}" first.`,
      );
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
  // Ten cycles took 194-245 s alone, over 600 s beside a UML pass: see STEP_TIMEOUT_MS.churn.
  { timeout: scaledTimeout(STEP_TIMEOUT_MS.churn) },
  async function (this: SwarmWorld, service: string, replicas: number, cycles: number) {
    this.acted(`${cycles} cycles of scaling ${service} to 0 and ${replicas}, and update --force`);
    const started = Date.now();
    for (let cycle = 0; cycle < cycles; cycle++) {
      await this.swarm.scale(service, 0);
      await this.swarm.scale(service, replicas);
      await this.swarm.updateService(service, ["--force"]);
    }
    this.log(`${cycles} churn cycles of ${service} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
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

Then(
  "{deadline}, the tasks of {service} get IPv6 addresses on network {network}, by engine:",
  async function (this: SwarmWorld, deadline: Deadline, service: string, network: string, table: DataTable) {
    const version = await this.manager.engineVersion();
    const rows = rowsOf(table, ["engine", "running", "addresses from the swarm"], ["inside", "state"]);
    const row = rowForEngine(rows, version, this.manager.name);
    const running = Number(row.running);
    if (!Number.isInteger(running) || running < 0) throw new Error(`"running" must be a count, got "${row.running}".`);
    if (running === 0) {
      // The tasks exist and stay in `state` (e.g. New: never allocated) for the whole window.
      const state = row.state;
      if (!state) throw new Error(`A row with 0 running tasks needs a "state" its tasks stay in (e.g. New).`);
      const desired = await this.swarm.desiredTasks(service);
      if (desired.length === 0) throw new Error(`${service} has no tasks at all: nothing to watch not starting.`);
      await holds(
        `every task of ${service} in state ${state}`,
        async () => {
          const states = (await this.swarm.desiredTasks(service)).map((t) => t.currentState.split(" ")[0]);
          expect(states).toEqual(states.map(() => state));
        },
        { durationMs: NOT_STARTING_WINDOW_MS },
      );
      this.log(
        `engine ${version}: ${desired.length} task(s) never ran: ${desired.map((t) => t.currentState).join(", ")}`,
      );
      return;
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
    this.log(
      `engine ${version}: at least ${ended.length} task(s) ended before these ran: ${ended.join("; ") || "none"}`,
    );
    // The swarm's allocator should give each task an address in each of the network's
    // subnets; where it gives one, the node's own allocator makes up the other, and
    // those repeat across nodes.
    const given = await this.swarm.swarmTaskAddresses(service, network);
    const tasks = (await this.swarm.taskEndpoints(service)).map((t) => ({
      label: `${t.label}@${t.node.name}`,
      ipv6: ipv6AddressOf(t, network),
      own: [t.addresses.get(network), t.ipv6Addresses.get(network)].filter((a): a is string => Boolean(a)),
      fromSwarm: (given.get(t.container) ?? []).map((a) => a.split("/")[0]),
    }));
    for (const t of tasks) {
      this.log(
        `engine ${version}: ${t.label}: the swarm gave ${t.fromSwarm.join(", ") || "nothing"}; its container has ${t.own.join(", ")}`,
      );
    }
    const own = tasks.flatMap((t) => t.own);
    const repeated = [...new Set(own.filter((a, i) => own.indexOf(a) !== i))];
    this.log(`engine ${version}: addresses held by more than one task: ${repeated.join(", ") || "none"}`);
    const inside = row.inside ?? "";
    expect({
      fromSwarm: tasks.map((t) => t.fromSwarm.length),
      notOnContainer: tasks.flatMap((t) =>
        t.fromSwarm.filter((a) => !t.own.includes(a)).map((a) => `${t.label}: ${a}`),
      ),
      outside: inside ? tasks.filter((t) => !inIpv6Subnet(t.ipv6, inside)).map((t) => `${t.label}: ${t.ipv6}`) : [],
    }).toEqual({ fromSwarm: tasks.map(() => perTask), notOnContainer: [], outside: [] });
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
    const wanted = expected
      .split("\n")
      .map((l) => l.trim())
      .filter(Boolean);
    // After an update the tasks are replaced one by one: poll until every task shows the lines.
    await eventually(`every task of ${service} to show ${wanted.length} lines in its resolv.conf`, async () => {
      const files = await this.swarm.resolvConfs(service);
      const seen = Object.fromEntries(
        Object.entries(files).map(([task, text]) => {
          const lines = text
            .split("\n")
            .map((l) => l.trim())
            .filter(Boolean);
          return [task, { missing: wanted.filter((w) => !lines.includes(w)), lines }];
        }),
      );
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
