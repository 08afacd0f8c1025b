// Quarantined scenarios (QUARANTINED_TAG) are left out of a run unless the selection
// names them, by the tag or by their line, and the run says which it left out.
import { QUARANTINED_TAG } from "../run/tags.js";
import { plannedScenarios } from "./cucumber.js";

export async function leaveOutQuarantined(args: string[]): Promise<{ args: string[]; leftOut: string[] }> {
  if (args.some((a) => a.includes(QUARANTINED_TAG))) return { args, leftOut: [] };
  const quarantined = await plannedScenarios(args, QUARANTINED_TAG);
  const located = (p: (typeof quarantined)[number]) => `${p.uri}:${p.location.line}`;
  if (quarantined.length === 0 || quarantined.some((p) => args.includes(located(p)))) return { args, leftOut: [] };
  return {
    args: [...args, "--tags", `not ${QUARANTINED_TAG}`],
    leftOut: quarantined.map((p) => `${located(p)}  ${p.name}`),
  };
}
