/** perf tests: pure units plus audit/proxy tests against a DynamoDB Local started once per run (test/support/global-setup.ts). */
module.exports = {
  displayName: "perf",
  rootDir: __dirname,
  testEnvironment: "node",
  // The end-to-end run starts the whole local stack; same limit as the root config.
  testTimeout: 60_000,
  transform: require("../jest.swc.js"),
  testMatch: ["<rootDir>/test/**/*.test.ts"],
  globalSetup: "<rootDir>/test/support/global-setup.ts",
  globalTeardown: "<rootDir>/test/support/global-teardown.ts",
};
