/** One `jest` run covers every workspace; each workspace's own config says how its tests run. */
module.exports = {
  projects: ["<rootDir>/services", "<rootDir>/infra", "<rootDir>/perf", "<rootDir>/web"].filter((dir) =>
    require("node:fs").existsSync(require("node:path").join(dir.replace("<rootDir>", __dirname), "jest.config.js")),
  ),
};
