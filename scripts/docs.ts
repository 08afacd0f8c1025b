// `npm run docs`: rewrites the generated pages, docs/steps.md (from the step
// definitions) and docs/configuration.md (from the settings table).
import { writeFile } from "node:fs/promises";
import { CONFIGURATION_DOC, renderConfigurationDoc } from "../support/report/config-docs.js";
import { STEPS_DOC, renderStepsDoc } from "../support/report/step-docs.js";

async function main(): Promise<void> {
  await writeFile(STEPS_DOC, await renderStepsDoc());
  await writeFile(CONFIGURATION_DOC, renderConfigurationDoc());
  console.log(`wrote ${STEPS_DOC} and ${CONFIGURATION_DOC}`);
}

await main();
