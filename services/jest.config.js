/** Services tests run against a real DynamoDB Local, one for the whole jest run (see @flash-sale/local's engine setup). */
module.exports = {
  displayName: "services",
  rootDir: __dirname,
  testEnvironment: "node",
  transform: require("../jest.swc.js"),
  testMatch: ["<rootDir>/test/**/*.test.ts"],
  globalSetup: require.resolve("@flash-sale/local/test-engine-setup"),
  globalTeardown: require.resolve("@flash-sale/local/test-engine-teardown"),
};
