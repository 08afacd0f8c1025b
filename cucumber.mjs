// cucumber-js profiles: `default` for people (readable progress), `ci` adds the
// machine-readable reports under reports/, and one `engine-<line>` profile per line
// of fixtures/engines.json (e.g. `--profile engine-26.1`) runs on that engine.
import { readFileSync } from "node:fs";

// Serial by default. Two workers (SWARMNET_PARALLEL=2; each has its own clusters and
// lab subnet) ran the tutorial features in 77 s against 107 s serially here, but under
// them Docker 20.10 sometimes failed a task with "error creating vxlan interface: file
// exists", so the default stays where the suite is reliable.
function workers() {
  const wanted = process.env.SWARMNET_PARALLEL;
  if (wanted === undefined || wanted === "") return 1;
  const n = Number(wanted);
  if (!Number.isInteger(n) || n < 1) throw new Error(`SWARMNET_PARALLEL must be a whole number >= 1, got "${wanted}"`);
  return n;
}

const common = {
  parallel: workers(),
  // TypeScript runs through tsx, registered before the step files are imported.
  import: ["scripts/register-tsx.mjs", "steps/**/*.ts"],
  format: ["progress-bar"],
  formatOptions: { snippetInterface: "async-await" },
  strict: true,
};

const ci = {
  ...common,
  format: [
    "progress",
    "summary",
    "junit:reports/junit.xml",
    "html:reports/cucumber.html",
    "message:reports/messages.ndjson",
  ],
};

const { engines } = JSON.parse(readFileSync(new URL("./fixtures/engines.json", import.meta.url), "utf8"));

// Engine profiles hold only the engine, so they combine with either profile:
// `--profile default --profile engine-26.1`, `--profile ci --profile engine-26.1`.
const engineProfiles = Object.fromEntries(
  Object.keys(engines).map((engine) => [`engine-${engine}`, { worldParameters: { engine } }]),
);

// A function default export, because profile names such as "engine-26.1" are not
// valid names for named exports.
export default function profiles() {
  return { default: common, ci, ...engineProfiles };
}
