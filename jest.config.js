/** One `jest` run covers every workspace; each workspace's own config says how its tests run. */
module.exports = {
  // Tests that drive real engines (DynamoDB Local, cognito-local, Chromium) need more than jest's 5 s default.
  testTimeout: 60_000,
  // Two test files at a time: most of a file's time is spent waiting on engines, browsers and clocks, not on CPU,
  // so two workers halve the run on a 2-core machine (jest's default there is one, in band).
  maxWorkers: 2,
  projects: [
    "<rootDir>/services",
    "<rootDir>/services/local",
    "<rootDir>/infra",
    "<rootDir>/perf",
    "<rootDir>/web",
    "<rootDir>/web/e2e",
  ].filter((dir) =>
    require("node:fs").existsSync(require("node:path").join(dir.replace("<rootDir>", __dirname), "jest.config.js")),
  ),
};
