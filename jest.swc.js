/** The shared fast TypeScript transform for Node workspaces (type-checking is `npm run typecheck`). */
module.exports = {
  "^.+\\.ts$": [
    "@swc/jest",
    { jsc: { parser: { syntax: "typescript" }, target: "es2022" }, module: { type: "commonjs" } },
  ],
  // jose ships only ES modules: compile them to CommonJS too (with transformIgnorePatterns letting them through).
  "/node_modules/jose/.+\\.js$": ["@swc/jest", { jsc: { target: "es2022" }, module: { type: "commonjs" } }],
};
