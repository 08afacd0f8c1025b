// `npm run clean`: removes every container, network and volume swarmnet created on
// the outer daemon (by label), and nothing else, and UML kernel hosts (process and
// tap device) of runs that are gone. Cached images and the UML root image stay.
import { removeEverythingOurs } from "../support/host/cleanup.js";
import { requireOuterDaemon } from "../support/host/docker-host.js";
import { sweepStaleUmlHosts } from "../support/host/uml-kernel.js";

await requireOuterDaemon();
await removeEverythingOurs();
await sweepStaleUmlHosts();
