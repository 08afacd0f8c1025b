// The UML pass's arguments: a file the user asked for is written per pass, never by both.
import { describe, it } from "node:test";
import { expect } from "expect";
import { umlPassArgs } from "../support/suite/passes.js";

describe("pass arguments", () => {
  it("moves a user's --format file of the UML pass to uml/ beside it; stdout formatters and the rest stay", () => {
    expect(
      umlPassArgs([
        "--profile",
        "ci",
        "--format",
        "message:reports/matrix/26.1.ndjson",
        "-f",
        "html:out.html",
        "--format=junit:a/b/j.xml",
        "--format",
        "progress",
        "features/tutorial",
      ]),
    ).toEqual([
      "--profile",
      "ci",
      "--format",
      "message:reports/matrix/uml/26.1.ndjson",
      "-f",
      "html:uml/out.html",
      "--format=junit:a/b/uml/j.xml",
      "--format",
      "progress",
      "features/tutorial",
    ]);
  });
});
