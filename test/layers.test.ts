import { describe, it } from "node:test";
import { expect } from "expect";
import { importSpecifiers, layeringViolations, supportModules } from "../scripts/layers.js";

describe("support/ layering", () => {
  it("has no upward import, no Gherkin and no module outside a layer", async () => {
    const modules = await supportModules();
    expect(modules.length).toBeGreaterThan(30);
    expect(layeringViolations(modules)).toEqual([]);
  });

  it("catches an upward import, a Gherkin import, an impure text module and a stray file", () => {
    const problems = layeringViolations([
      { file: "cluster/swarm-node.ts", imports: ["../swarm/swarm.js", "../run/poll.js", "./faults.js"] },
      { file: "host/harness.ts", imports: ["@cucumber/cucumber"] },
      { file: "text/ipv4.ts", imports: ["node:fs"] },
      { file: "helpers.ts", imports: [] },
    ]);
    expect(problems).toEqual([
      "cluster/swarm-node.ts: cluster/ imports swarm/swarm.js from swarm/, a higher layer",
      "host/harness.ts: imports @cucumber/cucumber (support code knows nothing of Gherkin)",
      "text/ipv4.ts: text/ is pure, but imports node:fs",
      "helpers.ts: not in a layer folder (text, run, host, cluster, probes, swarm)",
    ]);
  });

  it("reads static, type-only and dynamic imports and re-exports", () => {
    const source = [
      'import { a } from "./a.js";',
      'import type { B } from "../run/b.js";',
      'import {\n  c,\n  d,\n} from "./cd.js";',
      'export { e } from "./e.js";',
      'const f = await import("./f.js");',
    ].join("\n");
    expect(importSpecifiers(source)).toEqual(["./a.js", "../run/b.js", "./cd.js", "./e.js", "./f.js"]);
  });
});
