import { describe, it } from "node:test";
import { expect } from "expect";
import { profileOf, renderProfile } from "../support/report/profile.js";
import { messageStream } from "./support/message-stream.js";

const stream = messageStream([
  {
    steps: [
      {
        text: "a swarm with 1 manager",
        seconds: 4,
        definition: { pattern: "a swarm with {int} manager(s)", uri: "steps/cluster.steps.ts" },
        logs: ["cluster hand-over: reset in 3.5s"],
        observations: [
          {
            kind: "cluster",
            handOver: "reset",
            seconds: 3.5,
            labSubnet: "192.168.33.0/24",
            dataSubnet: "192.168.133.0/24",
            nodes: [],
          },
        ],
      },
      { seconds: 1, hook: { uri: "steps/hooks.ts", line: 67 } },
    ],
  },
]);

describe("where a suite run's time went", () => {
  it("sums step time by file and by definition, hooks by place, and hand-overs by kind", () => {
    const p = profileOf(stream);
    expect({
      scenarios: p.scenarios,
      wall: p.wallSeconds,
      steps: p.stepSeconds,
      byFile: Object.fromEntries(p.byFile),
      handOvers: Object.fromEntries(p.handOvers),
    }).toEqual({
      scenarios: 1,
      wall: 90,
      steps: 5,
      byFile: { "cluster.steps.ts": 4, "hook steps/hooks.ts:67": 1 },
      handOvers: { reset: { seconds: 3.5, count: 1 } },
    });
    expect(renderProfile("r", p)).toContain("80%   0m04s  1 × 4.0 s  a swarm with {int} manager(s)");
  });

  it("reads the hand-over from the observation, not from the log line", () => {
    const reworded = stream.replace("cluster hand-over: reset in 3.5s", "handed over by reset after 3.5 s");
    expect(Object.fromEntries(profileOf(reworded).handOvers)).toEqual({ reset: { seconds: 3.5, count: 1 } });
  });
});
