/** Services tests run against a real DynamoDB Local started once per run (see test/support/global-setup.ts). */
module.exports = {
  displayName: "services",
  rootDir: __dirname,
  testEnvironment: "node",
  transform: require("../jest.swc.js"),
  testMatch: ["<rootDir>/test/**/*.test.ts"],
  globalSetup: "<rootDir>/test/support/global-setup.ts",
  globalTeardown: "<rootDir>/test/support/global-teardown.ts",
};
