// cucumber-js profiles: `default` for people (readable progress), `ci` adds the
// machine-readable reports under reports/.
const common = {
  // TypeScript runs through tsx, registered before the step files are imported.
  import: ["scripts/register-tsx.mjs", "steps/**/*.ts"],
  format: ["progress-bar"],
  formatOptions: { snippetInterface: "async-await" },
  strict: true,
};

export default common;

export const ci = {
  ...common,
  format: [
    "progress",
    "summary",
    "junit:reports/junit.xml",
    "html:reports/cucumber.html",
    "message:reports/messages.ndjson",
    "usage:reports/usage.txt",
  ],
};
