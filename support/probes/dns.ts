// Name resolution through Docker's embedded DNS server (127.0.0.11), from inside a
// namespace. "Resolves to nothing" is an answer only when the server said so.
import { parseNslookup } from "../text/nslookup.js";
import { ProbeError, checkHost, runProbe, type ProbeSource } from "./runner.js";

export const EMBEDDED_DNS = "127.0.0.11";

/** The IPv4 addresses `name` resolves to (empty for NXDOMAIN); a resolver that gave no answer is a ProbeError. */
export async function resolveName(source: ProbeSource, name: string): Promise<string[]> {
  const result = await runProbe(source, `nslookup -type=a ${checkHost(name)} ${EMBEDDED_DNS}`);
  const answer = parseNslookup(result.exitCode, `${result.stdout}${result.stderr}`);
  if (!answer.answered)
    throw new ProbeError(`No DNS answer for "${name}" in ${source.label} (on ${source.node.name}): ${answer.why}`);
  return answer.addresses;
}
