// A cucumber-js formatter (see cucumber.mjs): one line per finished scenario, written
// as it finishes, so that a CI log and a prefixed pass show progress as it happens.
import { tsImport } from "tsx/esm/api";

const { ProgressLines } = await tsImport("../../support/report/progress-line.ts", import.meta.url);

export default {
  type: "formatter",
  formatter({ on, write }) {
    const lines = new ProgressLines();
    on("message", (envelope) => {
      const line = lines.update(envelope);
      if (line) write(`${line}\n`);
    });
  },
};
