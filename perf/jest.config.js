/** perf tests: pure units plus audit/proxy tests against the run's shared DynamoDB Local (see @flash-sale/local's engine setup). */
module.exports = {
  displayName: "perf",
  rootDir: __dirname,
  testEnvironment: "node",
  transform: require("../jest.swc.js"),
  transformIgnorePatterns: ["/node_modules/(?!jose/)"],
  testMatch: ["<rootDir>/test/**/*.test.ts"],
  globalSetup: require.resolve("@flash-sale/local/test-engine-setup"),
  globalTeardown: require.resolve("@flash-sale/local/test-engine-teardown"),
};
