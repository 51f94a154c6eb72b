/** perf tests: pure units plus audit/proxy tests against a DynamoDB Local started once per run (test/support/global-setup.ts). */
module.exports = {
  displayName: "perf",
  rootDir: __dirname,
  testEnvironment: "node",
  transform: require("../jest.swc.js"),
  testMatch: ["<rootDir>/test/**/*.test.ts"],
  globalSetup: "<rootDir>/test/support/global-setup.ts",
  globalTeardown: "<rootDir>/test/support/global-teardown.ts",
};
