// The run's time budget: durations as people write them, and when a scenario no longer starts.
import { describe, it } from "node:test";
import { expect } from "expect";
import { BudgetError, NOT_RUN, overBudget, parseDuration } from "../support/run/budget.js";
import { ConfigError, parseConfig } from "../support/run/config.js";
import { loadEngineTable } from "../support/run/engines.js";

describe("time budget", () => {
  it("reads 80m, 1h30m, 90s and 2h, and refuses what is not a duration", () => {
    expect([parseDuration("80m"), parseDuration("1h30m"), parseDuration("90s"), parseDuration("2h")]).toEqual([
      4_800_000, 5_400_000, 90_000, 7_200_000,
    ]);
    for (const bad of ["", "80", "m", "1.5h", "0m"]) expect(() => parseDuration(bad)).toThrow(BudgetError);
  });

  it("lets scenarios start until the budget ends, then says why they do not", () => {
    expect(overBudget(undefined, 10)).toBeUndefined();
    expect(overBudget(1000, 999)).toBeUndefined();
    expect(overBudget(1000, 1000)).toMatch(new RegExp(`^${NOT_RUN}`));
  });

  it("is a setting: a bad SWARMNET_BUDGET names the variable", () => {
    const engines = loadEngineTable();
    expect(parseConfig({ SWARMNET_BUDGET: "80m" }, engines).budgetMs).toBe(4_800_000);
    expect(() => parseConfig({ SWARMNET_BUDGET: "soon" }, engines)).toThrow(ConfigError);
    expect(() => parseConfig({ SWARMNET_BUDGET: "soon" }, engines)).toThrow(/SWARMNET_BUDGET="soon"/);
  });
});
