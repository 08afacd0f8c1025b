// cucumber-js profiles: `default` for people (readable progress), `ci` adds the
// machine-readable reports under reports/, and one `engine-<line>` profile per line
// of fixtures/engines.json (e.g. `--profile engine-26.1`) runs on that engine.
// Settings come from support/run/config.ts, as everywhere else.
import { tsImport } from "tsx/esm/api";

const { config } = await tsImport("./support/run/config.ts", import.meta.url);
const { loadEngineTable } = await tsImport("./support/run/engines.ts", import.meta.url);
const { RERUN_FILE } = await tsImport("./support/run/uml-pass.ts", import.meta.url);

const PROGRESS_LINES = "./steps/plugins/progress.mjs";

const common = {
  // Workers (SWARMNET_PARALLEL; by default a core each and one more, at most 3), each
  // with its own clusters and lab subnet; steps/hooks.ts keeps apart the scenarios
  // that must run alone.
  parallel: config().parallel,
  // TypeScript runs through tsx, registered before the step files are imported.
  import: ["steps/plugins/register-tsx.mjs", "steps/**/*.ts"],
  // Scenarios tagged @long start first, so they do not end the run on one worker.
  plugin: ["./steps/plugins/order.mjs"],
  // A progress bar on a terminal; elsewhere (CI logs, a pass whose lines are prefixed)
  // a line per finished scenario, written as it finishes.
  format: [process.stdout.isTTY && !config().ci ? "progress-bar" : PROGRESS_LINES],
  formatOptions: { snippetInterface: "async-await" },
  strict: true,
};

const reports = config().reportDir;
const ci = {
  ...common,
  format: [
    PROGRESS_LINES,
    `summary:${reports}/summary.txt`,
    `rerun:${reports}/${RERUN_FILE}`,
    `junit:${reports}/junit.xml`,
    `html:${reports}/cucumber.html`,
    `message:${reports}/messages.ndjson`,
  ],
};

// Engine profiles hold only the engine, so they combine with either profile:
// `--profile default --profile engine-26.1`, `--profile ci --profile engine-26.1`.
const engineProfiles = Object.fromEntries(
  loadEngineTable().engines.map(({ name }) => [`engine-${name}`, { worldParameters: { engine: name } }]),
);

// A function default export, because profile names such as "engine-26.1" are not
// valid names for named exports.
export default function profiles() {
  return { default: common, ci, ...engineProfiles };
}
