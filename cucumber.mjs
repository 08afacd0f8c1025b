// cucumber-js profiles: `default` for people (readable progress), `ci` adds the
// machine-readable reports under reports/, and one `engine-<line>` profile per line
// of fixtures/engines.json (e.g. `--profile engine-26.1`) runs on that engine.
import { readFileSync } from "node:fs";

const common = {
  // TypeScript runs through tsx, registered before the step files are imported.
  import: ["scripts/register-tsx.mjs", "steps/**/*.ts"],
  format: ["progress-bar"],
  formatOptions: { snippetInterface: "async-await" },
  strict: true,
};

const ci = {
  ...common,
  format: ["progress", "summary", "junit:reports/junit.xml", "html:reports/cucumber.html", "message:reports/messages.ndjson"],
};

const { engines } = JSON.parse(readFileSync(new URL("./fixtures/engines.json", import.meta.url), "utf8"));

// Engine profiles hold only the engine, so they combine with either profile:
// `--profile default --profile engine-26.1`, `--profile ci --profile engine-26.1`.
const engineProfiles = Object.fromEntries(Object.keys(engines).map((engine) => [`engine-${engine}`, { worldParameters: { engine } }]));

// A function default export, because profile names such as "engine-26.1" are not
// valid names for named exports.
export default function profiles() {
  return { default: common, ci, ...engineProfiles };
}
