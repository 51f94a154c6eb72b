/** The shared fast TypeScript transform for Node workspaces (type-checking is `npm run typecheck`). */
module.exports = {
  "^.+\\.ts$": [
    "@swc/jest",
    { jsc: { parser: { syntax: "typescript" }, target: "es2022" }, module: { type: "commonjs" } },
  ],
};
