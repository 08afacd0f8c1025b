// What `iptables-save` prints: the chains a table holds, one ":<chain> <policy> [p:b]" line each.

/** The names of Docker's chains (DOCKER, DOCKER-USER, DOCKER-INGRESS, ...) in an `iptables-save` output. */
export function dockerChains(save: string): string[] {
  return save
    .split("\n")
    .map((line) => /^:(DOCKER[\w-]*) /.exec(line.trim())?.[1])
    .filter((chain): chain is string => chain !== undefined);
}

/** Docker's chains as each backend holds them on one node, and what `iptables` there says it is. */
export interface NodeFirewall {
  backend: string;
  nft: string[];
  legacy: string[];
}

/** dockerd makes these when it starts, in the backend it uses. */
const DAEMON_CHAINS = ["DOCKER", "DOCKER-USER"];

/** What is wrong with a node's firewall for a run on `wanted`: empty when dockerd's rules are there and only there. */
export function backendMismatches(seen: NodeFirewall, wanted: "nft" | "legacy"): string[] {
  const other = wanted === "nft" ? "legacy" : "nft";
  const wrong: string[] = [];
  if (seen.backend !== wanted) wrong.push(`iptables is ${seen.backend}, not ${wanted}`);
  const missing = DAEMON_CHAINS.filter((c) => !seen[wanted].includes(c));
  if (missing.length > 0) wrong.push(`${wanted} lacks dockerd's ${missing.join(", ")}`);
  if (seen[other].length > 0) wrong.push(`${other} holds Docker's ${seen[other].join(", ")}`);
  return wrong;
}
