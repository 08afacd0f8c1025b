// A cucumber-js plugin (see cucumber.mjs) that starts the `@long` scenarios first:
// support/run/scenario-order.ts says why. It runs after cucumber's own ordering, so
// `--order random` still shuffles within each group.
import { tsImport } from "tsx/esm/api";

const { longestFirst } = await tsImport("../../support/run/scenario-order.ts", import.meta.url);

export default {
  type: "plugin",
  coordinator: ({ transform }) => {
    transform("pickles:order", (pickles) => longestFirst(pickles));
  },
};
