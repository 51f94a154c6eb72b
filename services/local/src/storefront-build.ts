import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";

const WEB = resolve(__dirname, "../../../web");
const INDEX = join(WEB, "dist", "browser", "index.html");
const SOURCES = ["src", "public", "angular.json", "tsconfig.json", "tsconfig.app.json", "package.json"];

/** Newest modification time under a file or folder, in ms; unit tests are not part of the build. */
function newest(path: string): number {
  const stat = statSync(path);
  if (path.endsWith(".spec.ts")) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((latest, name) => Math.max(latest, newest(join(path, name))), stat.mtimeMs);
}

export function storefrontBuildIsStale(): boolean {
  const sourcesChanged = SOURCES.map((name) => join(WEB, name))
    .filter(existsSync)
    .reduce((latest, path) => Math.max(latest, newest(path)), 0);
  return !existsSync(INDEX) || statSync(INDEX).mtimeMs < sourcesChanged;
}

/**
 * (Re)builds web/dist/browser with web's build script when it is missing or older than its sources, so a fresh
 * clone or a pulled change is served as it is now. Returns false when the build failed.
 */
export function buildStorefrontIfStale(announce: (message: string) => void): boolean {
  if (!existsSync(join(WEB, "angular.json")) || !storefrontBuildIsStale()) return true;
  announce("Building the storefront (web/dist/browser is missing or older than web/src)…");
  // web's build script: `ng build`, then the pictures' content-hashed copies (asset-versions.ts).
  const build = spawnSync("npm", ["run", "build"], {
    cwd: WEB,
    stdio: "inherit",
    env: { ...process.env, NG_CLI_ANALYTICS: "false" },
  });
  return build.status === 0;
}
