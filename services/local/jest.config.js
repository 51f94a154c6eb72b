/** The local stack's tests: the gateway, emulators and supervisor against real DynamoDB Local and cognito-local. */
module.exports = {
  displayName: "local",
  rootDir: __dirname,
  testEnvironment: "node",
  transform: require("../../jest.swc.js"),
  transformIgnorePatterns: ["/node_modules/(?!jose/)"],
  testMatch: ["<rootDir>/test/**/*.test.ts"],
  globalSetup: "<rootDir>/test/support/engine-setup.ts",
  globalTeardown: "<rootDir>/test/support/engine-teardown.ts",
};
