// Literal text inside regular expressions: addresses and names whose dots are not wildcards.
import { describe, it } from "node:test";
import { expect } from "expect";
import { escapeRegExp, exactlyOneOf } from "../support/text/regexp.js";

describe("literal text in a pattern", () => {
  it("escapes what a RegExp would read as syntax", () => {
    expect(new RegExp(escapeRegExp("10.0.1.2 (a|b) [x]*")).test("10.0.1.2 (a|b) [x]*")).toBe(true);
    expect(new RegExp(`^${escapeRegExp("10.0.1.2")}$`).test("10a0b1c2")).toBe(false);
  });

  it("matches exactly one of several texts, whole", () => {
    const pattern = exactlyOneOf(["pong holder", "pong 3477f264dd4e"]);
    expect(pattern.test("pong holder")).toBe(true);
    expect(pattern.test("pong 3477f264dd4e")).toBe(true);
    expect(pattern.test("pong holder2")).toBe(false);
    expect(pattern.test("pong")).toBe(false);
  });
});
