// Name resolution through Docker's embedded DNS server (127.0.0.11), from inside a
// namespace. "Resolves to nothing" is an answer only when the server said so.
import { parseNslookup, type DnsAnswer } from "../text/nslookup.js";
import { ProbeError, checkHost, runProbe, type ProbeSource } from "./runner.js";

export const EMBEDDED_DNS = "127.0.0.11";

async function lookup(source: ProbeSource, name: string): Promise<DnsAnswer> {
  const result = await runProbe(source, `nslookup -type=a ${checkHost(name)} ${EMBEDDED_DNS}`);
  return parseNslookup(result.exitCode, `${result.stdout}${result.stderr}`);
}

function noAnswer(source: ProbeSource, name: string, why: string): ProbeError {
  return new ProbeError(`No DNS answer for "${name}" in ${source.label} (on ${source.node.name}): ${why}`);
}

/** The IPv4 addresses `name` resolves to (empty for NXDOMAIN); a resolver that gave no answer is a ProbeError. */
export async function resolveName(source: ProbeSource, name: string): Promise<string[]> {
  const answer = await lookup(source, name);
  if (!answer.answered) throw noAnswer(source, name, answer.why);
  return answer.addresses;
}

export interface AbsenceCheck {
  addresses: string[];
  /** How the answer was established, for the report. */
  evidence: string;
}

/**
 * What `name` resolves to, for a check that expects nothing. Docker's embedded DNS
 * answers NXDOMAIN for a single-label name it does not hold, but forwards a dotted
 * one (tasks.<svc>) upstream, and when the upstream does not answer (a lab network
 * whose DNS is slow or absent) neither does it. So a timeout counts as "nothing" only
 * if the same server, asked right after for `control` (a name it holds, such as the
 * source's own service), answers with addresses: it was up and had no record of `name`.
 */
export async function resolveExpectingNothing(
  source: ProbeSource,
  name: string,
  control: string,
): Promise<AbsenceCheck> {
  const answer = await lookup(source, name);
  if (answer.answered)
    return { addresses: answer.addresses, evidence: answer.addresses.length ? "answered" : "NXDOMAIN" };
  const check = await lookup(source, control);
  if (!check.answered || check.addresses.length === 0) {
    throw noAnswer(source, name, `${answer.why}; and the server gave no address for "${control}" either`);
  }
  return { addresses: [], evidence: `no record (forwarded upstream, unanswered; "${control}" answered)` };
}
