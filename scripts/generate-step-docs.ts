// `npm run docs:steps`: rewrites docs/steps.md from the step definitions.
import { writeFile } from "node:fs/promises";
import { STEPS_DOC, renderStepsDoc } from "./step-docs.js";

await writeFile(STEPS_DOC, await renderStepsDoc());
console.log(`wrote ${STEPS_DOC}`);
