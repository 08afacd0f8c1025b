// The code's layer and folder rules, as data (`npm run lint` runs dependency-cruiser).
// support/ is in layers, lowest first; a module imports its own layer and those
// below it, never above. support/README.md says what each layer holds.
const LAYERS = ["text", "run", "host", "cluster", "probes", "swarm", "report", "suite"];

const upward = LAYERS.slice(0, -1).map((layer, i) => ({
  name: `no-upward-from-${layer}`,
  comment: `support/${layer}/ may import only ${LAYERS.slice(0, i + 1).join(", ")}`,
  severity: "error",
  from: { path: `^support/${layer}/` },
  to: { path: `^support/(${LAYERS.slice(i + 1).join("|")})/` },
}));

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    { name: "no-circular", comment: "modules import each other", severity: "error", from: {}, to: { circular: true } },
    ...upward,
    {
      name: "support-in-layers",
      comment: "every module under support/ is in a layer folder",
      severity: "error",
      from: { path: "^support/", pathNot: `^support/(${LAYERS.join("|")})/` },
      to: {},
    },
    {
      name: "text-is-pure",
      comment: "support/text/ parses and formats: no I/O, no packages",
      severity: "error",
      from: { path: "^support/text/" },
      to: { dependencyTypes: ["npm", "npm-dev", "npm-optional", "npm-peer", "npm-no-pkg", "npm-unknown", "core"] },
    },
    {
      name: "support-knows-no-gherkin",
      comment: "support/ never imports the step API, the steps, the entry points or the tests",
      severity: "error",
      from: { path: "^support/" },
      to: { path: "^(steps|scripts|test)/|node_modules/@cucumber/cucumber/lib/index" },
    },
    {
      name: "cucumber-messages-only-in-report-and-suite",
      comment: "only support/report and support/suite read cucumber's messages or run cucumber",
      severity: "error",
      from: { path: "^support/", pathNot: "^support/(report|suite)/" },
      to: { path: "node_modules/@cucumber/" },
    },
    {
      name: "entry-points-are-not-imported",
      comment: "scripts/ holds entry points, each a main(); library code lives in support/",
      severity: "error",
      from: {},
      to: { path: "^scripts/" },
    },
    {
      name: "steps-call-support",
      comment: "steps/ may import support/ and each other, nothing else of ours",
      severity: "error",
      from: { path: "^steps/" },
      to: { path: "^(scripts|test)/" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^reports/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
  },
};
