// `npm run clean`: removes every container, network and volume swarmnet created on
// the outer daemon (by label), and nothing else. Cached images stay.
import { removeEverythingOurs } from "../support/host/cleanup.js";
import { requireOuterDaemon } from "../support/host/docker-host.js";

await requireOuterDaemon();
await removeEverythingOurs();
