/** Infra tests: the Pulumi program under `pulumi.runtime.setMocks` (no CLI, no AWS); see test/support/program.ts. */
module.exports = {
  displayName: "infra",
  rootDir: __dirname,
  testEnvironment: "node",
  transform: require("../jest.swc.js"),
  testMatch: ["<rootDir>/test/**/*.test.ts"],
};
