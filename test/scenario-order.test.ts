import { describe, it } from "node:test";
import { expect } from "expect";
import { longestFirst } from "../support/run/scenario-order.js";

const pickle = (name: string, ...tags: string[]) => ({ name, pickle: { tags: tags.map((t) => ({ name: t })) } });

describe("the order scenarios start in", () => {
  it("starts @long scenarios first, keeping each group's order", () => {
    const ordered = longestFirst([
      pickle("a", "@catalogue"),
      pickle("b", "@upgrade", "@long"),
      pickle("c"),
      pickle("d", "@long", "@regressions"),
    ]);
    expect(ordered.map((p) => p.name)).toEqual(["b", "d", "a", "c"]);
  });

  it("leaves the order alone without @long scenarios", () => {
    const input = [pickle("a"), pickle("b", "@faults")];
    expect(longestFirst(input).map((p) => p.name)).toEqual(["a", "b"]);
  });
});
