import { describe, it } from "node:test";
import { expect } from "expect";
import { UnknownNodeError } from "../support/cluster/swarm-cluster.js";
import { ConfigError } from "../support/run/config.js";
import { SwarmnetError, ignoreNotFound, saysNotFound } from "../support/run/errors.js";
import { UnknownServiceError } from "../support/swarm/services.js";
import { UnknownWordError, chooseWord } from "../support/text/vocabulary.js";

describe("closed word lists", () => {
  const cuts = { "all its traffic": "all", "its control-plane traffic": "control-plane" };

  it("maps a known word", () => {
    expect(chooseWord("cut", "its control-plane traffic", cuts)).toBe("control-plane");
  });

  it("lists the valid words for a misspelt one", () => {
    expect(() => chooseWord("cut", "its contrl-plane traffic", cuts)).toThrow(
      'Unknown cut "its contrl-plane traffic": expected one of "all its traffic", "its control-plane traffic".',
    );
    expect(() => chooseWord("role", "toString", { manager: 1 })).toThrow(UnknownWordError);
  });
});

describe("errors", () => {
  it("carry their class name", () => {
    expect(new UnknownNodeError("wroker1", ["manager1", "worker1"]).name).toBe("UnknownNodeError");
    expect(new UnknownServiceError("x").name).toBe("UnknownServiceError");
    expect(new ConfigError("SWARMNET_REUSE", "yes", "true or false").name).toBe("ConfigError");
    expect(new SwarmnetError("x")).toBeInstanceOf(Error);
  });

  it("treat only 'not found' as fine", () => {
    expect(ignoreNotFound({ statusCode: 404 })).toBeUndefined();
    expect(() => ignoreNotFound({ statusCode: 409 })).toThrow();
    expect(ignoreNotFound({ statusCode: 409 }, { alsoConflict: true })).toBeUndefined();
    expect(() => ignoreNotFound(new Error("socket hang up"))).toThrow("socket hang up");
    expect(saysNotFound("Error response from daemon: network my-net not found")).toBe(true);
    expect(saysNotFound("Error: No such network: my-net")).toBe(true);
    expect(saysNotFound("Cannot connect to the Docker daemon")).toBe(false);
    // A probe or CLI that could not run is not an answer that the object is absent.
    expect(saysNotFound("sh: docker: not found")).toBe(false);
    expect(saysNotFound("bash: line 1: nsenter: command not found")).toBe(false);
    expect(saysNotFound('exec: "nslookup": executable file not found in $PATH')).toBe(false);
    expect(saysNotFound("no such service: my-web\n")).toBe(true);
  });
});

describe("every custom error class", () => {
  it("sets its name (found by reading the sources, so a new one cannot forget)", async () => {
    const { readdir, readFile } = await import("node:fs/promises");
    const files = (await readdir(new URL("../support", import.meta.url), { recursive: true })).filter((f) =>
      f.endsWith(".ts"),
    );
    const unnamed: string[] = [];
    for (const file of files) {
      const source = await readFile(new URL(`../support/${file}`, import.meta.url), "utf8");
      for (const match of source.matchAll(/class (\w+) extends Error\b[^{]*\{([\s\S]*?)\n\}/g)) {
        if (!/this\.name = /.test(match[2])) unnamed.push(`${file}: ${match[1]}`);
      }
    }
    expect(unnamed).toEqual([]);
  });
});
