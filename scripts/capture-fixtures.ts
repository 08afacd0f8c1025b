// `npx tsx scripts/capture-fixtures.ts [engine...]`: records real output of the
// commands swarmnet parses, from a small swarm on each engine line, into
// test/fixtures/<engine>/ so that parser unit tests read what Docker really prints.
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { getHarness } from "../support/host/harness.js";
import { SwarmClusterBuilder } from "../support/cluster/swarm-cluster.js";
import { Swarm } from "../support/swarm/swarm.js";
import { removeThisRun } from "../support/host/cleanup.js";
import { progress } from "../support/run/log.js";

async function main(wanted: string[]): Promise<void> {
  const harness = await getHarness();
  const engines = wanted.length > 0 ? wanted : harness.engines.engines.map((e) => e.name);
  try {
    for (const engine of engines) {
      const dir = join("test", "fixtures", engine);
      await mkdir(dir, { recursive: true });
      const cluster = await new SwarmClusterBuilder(harness.host)
        .withNodesOf("manager", 1, engine)
        .withNodesOf("worker", 1, engine)
        .start();
      const [manager, worker] = cluster.nodes;
      const save = async (name: string, text: string) => writeFile(join(dir, name), text);
      const sinceEvents = Math.floor(Date.now() / 1000) - 1;
      const swarm = new Swarm(cluster);
      await swarm.createOverlay("my-network", ["--attachable"]);
      const tasks = await swarm.createService({ name: "my-web", replicas: 2, networks: ["my-network"] });
      await save("node-ls.json-lines", (await manager.dockerOk(["node", "ls", "--format", "{{json .}}"])).stdout);
      await save("node-ls.table", (await manager.dockerOk(["node", "ls"])).stdout);
      await save("network-ls.table", (await manager.dockerOk(["network", "ls"])).stdout);
      await save(
        "service-ps.json-lines",
        (
          await manager.dockerOk([
            "service",
            "ps",
            "--no-trunc",
            "--filter",
            "desired-state=running",
            "--format",
            "{{json .}}",
            "my-web",
          ])
        ).stdout,
      );
      await save("network-inspect-overlay.json", (await manager.dockerOk(["network", "inspect", "my-network"])).stdout);
      await save("network-inspect-ingress.json", (await worker.dockerOk(["network", "inspect", "ingress"])).stdout);
      await save("service-inspect.json", (await manager.dockerOk(["service", "inspect", "my-web"])).stdout);
      const missing = await manager.docker(["network", "inspect", "no-such-net"]);
      await save("network-inspect-missing.stderr", missing.stderr);
      const noService = await manager.docker(["service", "ps", "no-such-service"]);
      await save("service-ps-missing.stderr", noService.stderr);
      const netId = (await manager.dockerOk(["network", "inspect", "--format", "{{.Id}}", "my-network"])).stdout.trim();
      // iproute2's JSON, which the data-path readers parse (support/text/ip-json.ts).
      const inOverlay = `nsenter --net=/var/run/docker/netns/1-${netId.slice(0, 10)}`;
      await save("vxlan-devices.json", (await manager.shOk(`${inOverlay} ip -j -d link show type vxlan`)).stdout);
      await save("addresses.json", (await manager.shOk("ip -j -4 addr show")).stdout);
      await save("xfrm-state.txt", (await manager.shOk("ip -s xfrm state")).stdout);
      const local = (
        await manager.dockerOk(["ps", "--filter", "label=com.docker.swarm.service.name=my-web", "--format", "{{.ID}}"])
      ).stdout.split("\n")[0];
      const probe = (cmd: string[]) =>
        manager.docker(["run", "--rm", "--network", `container:${local}`, "swarmnet/probe:latest", ...cmd]);
      const found = await probe(["nslookup", "-type=a", "tasks.my-web", "127.0.0.11"]);
      await save("nslookup-found.txt", `exit ${found.exitCode}\n${found.stdout}${found.stderr}`);
      const nx = await probe(["nslookup", "-type=a", "tasks.no-such-service", "127.0.0.11"]);
      await save("nslookup-nxdomain.txt", `exit ${nx.exitCode}\n${nx.stdout}${nx.stderr}`);
      const dead = await probe(["nslookup", "-type=a", "tasks.my-web", "127.0.0.99"]);
      await save("nslookup-no-server.txt", `exit ${dead.exitCode}\n${dead.stdout}${dead.stderr}`);
      await save(
        "events.txt",
        (
          await manager.dockerOk([
            "events",
            "--since",
            String(sinceEvents),
            "--until",
            String(Math.ceil(Date.now() / 1000)),
            "--format",
            "{{.Type}} {{.Action}} {{.Actor.Attributes.name}}",
          ])
        ).stdout,
      );
      // Traffic to both tasks (DNS round robin), so that the overlay's bridge learns the remote task's MAC.
      await probe(["sh", "-c", "for i in 1 2 3 4 5 6; do wget -q -O /dev/null -T 2 http://tasks.my-web/; done; true"]);
      await save("fdb.json", (await manager.shOk(`${inOverlay} bridge -j fdb show`)).stdout);
      await save("version.txt", `${await manager.engineVersion()}\n${tasks.length} tasks\n`);
      progress(`captured ${engine} into ${dir}`);
      await cluster.stop();
    }
  } finally {
    await removeThisRun();
  }
}

await main(process.argv.slice(2));
