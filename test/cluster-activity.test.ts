import { describe, it } from "node:test";
import { expect } from "expect";
import { isBackgroundEvent } from "../support/cluster/cluster-activity.js";

describe("cluster activity", () => {
  it("ignores exec probes and the default networks settling in", () => {
    expect(isBackgroundEvent("container exec_start: sh -c nslookup my-web my-web.1.abc")).toBe(true);
    expect(isBackgroundEvent("network create ingress")).toBe(true);
    expect(isBackgroundEvent("network connect docker_gwbridge")).toBe(true);
  });

  it("counts anything a scenario does", () => {
    expect(isBackgroundEvent("service create my-web")).toBe(false);
    expect(isBackgroundEvent("network create my-network")).toBe(false);
    expect(isBackgroundEvent("network destroy ingress")).toBe(false);
    expect(isBackgroundEvent("container create outsider")).toBe(false);
    expect(isBackgroundEvent("node update worker1")).toBe(false);
  });
});
