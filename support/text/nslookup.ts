// What busybox nslookup printed, read as an answer or as a failure to get one.

export type DnsAnswer =
  /** The resolver answered with these IPv4 addresses (sorted, distinct). */
  | { answered: true; addresses: string[] }
  /** The resolver could not be asked or did not answer: not a "no". */
  | { answered: false; why: string };

/**
 * Exit 0 with "Name:/Address:" pairs after the server's own lines is an answer; exit 1
 * with "can't find <name>: NXDOMAIN" is an answer too (the name does not exist);
 * anything else (a timeout, "no servers could be reached", a refused connection,
 * SERVFAIL) means the resolver gave no answer.
 */
export function parseNslookup(exitCode: number, output: string): DnsAnswer {
  if (exitCode === 0) {
    const answers = output
      .split(/Non-authoritative answer:|Name:/)
      .slice(1)
      .join("\n");
    const addresses = [...new Set([...answers.matchAll(/^Address:\s*([0-9.]+)\s*$/gm)].map((m) => m[1]))].sort();
    return { answered: true, addresses };
  }
  if (/can't find .*: NXDOMAIN/.test(output)) return { answered: true, addresses: [] };
  return { answered: false, why: `nslookup exited ${exitCode}: ${output.trim() || "(no output)"}` };
}
