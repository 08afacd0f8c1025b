// How node containers get the rights to run dockerd: --privileged where the outer
// daemon allows it, else all capabilities but SYS_RESOURCE with unconfined
// seccomp/apparmor (where --privileged fails: "unable to apply caps").
import type { PrivilegeSetting } from "../run/config.js";
import { progress } from "../run/log.js";
import { outerDocker } from "./docker-host.js";
import { runLabels } from "./labels.js";

export type PrivilegeMode = "privileged" | "capabilities";

export type PrivilegedProbe = { ok: true } | { ok: false; error: string };

export function decidePrivilege(
  setting: PrivilegeSetting,
  probe: PrivilegedProbe,
): { mode: PrivilegeMode; why: string } {
  if (setting === "privileged") return { mode: "privileged", why: "SWARMNET_PRIVILEGE=privileged" };
  if (setting === "capabilities") return { mode: "capabilities", why: "SWARMNET_PRIVILEGE=capabilities" };
  return probe.ok
    ? { mode: "privileged", why: "the outer daemon starts --privileged containers" }
    : { mode: "capabilities", why: `--privileged fails here (${probe.error.trim().split("\n")[0]})` };
}

/** Starts a throwaway --privileged container running `true` and reports whether it ran. */
export async function probePrivileged(image: string): Promise<PrivilegedProbe> {
  const docker = outerDocker();
  const container = await docker.createContainer({
    Image: image,
    Entrypoint: ["true"],
    Labels: runLabels(),
    HostConfig: { Privileged: true },
  });
  try {
    await container.start();
    const { StatusCode } = await container.wait();
    return StatusCode === 0 ? { ok: true } : { ok: false, error: `exit code ${StatusCode}` };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  } finally {
    await container.remove({ force: true }).catch(() => undefined);
  }
}

let decided: Promise<PrivilegeMode> | undefined;

/** Decides once per process and says which mode it chose and why. */
export function privilegeMode(setting: PrivilegeSetting, image: string): Promise<PrivilegeMode> {
  decided ??= (async () => {
    const probe = setting === "auto" ? await probePrivileged(image) : { ok: true as const };
    const { mode, why } = decidePrivilege(setting, probe);
    progress(
      `node containers run ${mode === "privileged" ? "--privileged" : "with capabilities (ALL minus SYS_RESOURCE, unconfined seccomp/apparmor)"}: ${why}`,
    );
    return mode;
  })();
  return decided;
}
