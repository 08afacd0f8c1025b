// `npm run clean`: removes every container, network and volume swarmnet created on
// the outer daemon (by label), and nothing else, and everything UML nodes made on
// this machine (kernels, taps, bridges and their firewall rule, disks' copy-on-write
// files), a live run's too, and a cluster kept after a failure (SWARMNET_KEEP). Cached
// images and UML disk images stay.
import { removeEverythingOurs } from "../support/host/cleanup.js";
import { requireOuterDaemon } from "../support/host/docker-host.js";
import { removeAllUml } from "../support/host/uml-ledger.js";
import { forgetKept } from "../support/cluster/kept-cluster.js";
import { progress } from "../support/run/log.js";
import { reportDirs } from "../support/run/uml-pass.js";

async function main(): Promise<void> {
  progress(`removed ${removeAllUml()} UML kernels, taps, bridges and disks`);
  await requireOuterDaemon();
  await removeEverythingOurs();
  await forgetKept(reportDirs());
}

await main();
