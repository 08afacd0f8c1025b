import { existsSync, readFileSync, readdirSync } from "node:fs";
import { describe, it } from "node:test";
import { expect } from "expect";
import { readmeProblems } from "../support/report/docs-check.js";
import { renderConfigurationDoc } from "../support/report/config-docs.js";
import { SETTINGS } from "../support/run/config.js";

const all = () => true;

describe("the README check", () => {
  it("passes the README as it is", () => {
    expect(readmeProblems(readFileSync("README.md", "utf8"), existsSync)).toEqual([]);
  });

  it("fails a run table, a measurement, a figure, a dead link and a long README", () => {
    expect(readmeProblems("| run | scenarios | wall |\n|---|---|---|", all)).toMatchObject([
      expect.stringContaining("a table of runs"),
    ]);
    expect(readmeProblems("Measured here: fast.", all)).toMatchObject([expect.stringContaining('says "measured"')]);
    expect(readmeProblems("A swarm is ready in 3.2 s.", all)).toMatchObject([expect.stringContaining("a figure")]);
    expect(readmeProblems("See [x](docs/nothing.md).", () => false)).toEqual([
      "README.md links docs/nothing.md, which does not exist",
    ]);
    expect(readmeProblems("line\n".repeat(151), all)).toMatchObject([expect.stringContaining("more than 150")]);
  });
});

describe("the configuration page", () => {
  it("lists every variable config.ts reads, and only those", () => {
    const source = readFileSync("support/run/config.ts", "utf8");
    const read = new Set([...source.matchAll(/"(SWARMNET_[A-Z_]+|DOCKER_HOST|CI)"/g)].map((m) => m[1]));
    expect([...read].sort()).toEqual(SETTINGS.map((s) => s.variable).sort());
  });

  it("is generated from the settings table", () => {
    expect(readFileSync("docs/configuration.md", "utf8")).toBe(renderConfigurationDoc());
  });
});

describe("entry points", () => {
  it("export nothing and run one main()", () => {
    for (const file of readdirSync("scripts").filter((f) => f.endsWith(".ts"))) {
      const source = readFileSync(`scripts/${file}`, "utf8");
      expect({ file, exports: /^export /m.test(source) }).toEqual({ file, exports: false });
      expect({ file, mains: source.match(/^(async )?function main\(/gm)?.length }).toEqual({ file, mains: 1 });
    }
  });
});

describe("the bench table", () => {
  it("is written between its markers, replacing what was there, never appended", async () => {
    const { renderBenchTable, withBenchTable } = await import("../support/suite/bench.js");
    const doc = "# P\n\n<!-- bench:start (written by npm run bench) -->\nold table\n<!-- bench:end -->\n\n## Next\n";
    const table = renderBenchTable("2026-12-07, 2 cores, commit abc", "npm run bench -- --runs 1", [
      { figure: "one bare node ready", container: "1.25 s (1.25 s, 1.25 s)" },
    ]);
    const once = withBenchTable(doc, table);
    expect(once).toContain("| one bare node ready | 1.25 s (1.25 s, 1.25 s) |  |");
    expect(once).not.toContain("old table");
    expect(withBenchTable(once, table)).toBe(once);
    expect(() => withBenchTable("# no markers", table)).toThrow(/markers/);
  });
});
