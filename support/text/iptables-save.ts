// What `iptables-save` prints: the chains a table holds, one ":<chain> <policy> [p:b]" line each.

/** The names of Docker's chains (DOCKER, DOCKER-USER, DOCKER-INGRESS, ...) in an `iptables-save` output. */
export function dockerChains(save: string): string[] {
  return save
    .split("\n")
    .map((line) => /^:(DOCKER[\w-]*) /.exec(line.trim())?.[1])
    .filter((chain): chain is string => chain !== undefined);
}
