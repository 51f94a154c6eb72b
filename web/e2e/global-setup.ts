import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

const WEB = join(__dirname, "..");
const INDEX = join(WEB, "dist", "browser", "index.html");
const SOURCES = ["src", "public", "angular.json", "tsconfig.json", "tsconfig.app.json", "package.json"];

/** Newest modification time under a file or folder, in ms. */
function newest(path: string): number {
  const stat = statSync(path);
  if (path.endsWith(".spec.ts")) return 0; // unit tests are not part of the build
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((latest, name) => Math.max(latest, newest(join(path, name))), stat.mtimeMs);
}

/** The e2e tests drive the production build: (re)build it when it is missing or older than its sources. */
export default function buildStorefrontIfStale(): void {
  const sourcesChanged = SOURCES.map((name) => join(WEB, name)).filter(existsSync).reduce((latest, path) => Math.max(latest, newest(path)), 0);
  if (existsSync(INDEX) && statSync(INDEX).mtimeMs >= sourcesChanged) return;
  process.stdout.write("\ne2e: building the storefront (web/dist/browser is missing or stale)…\n");
  const build = spawnSync("npx", ["ng", "build"], { cwd: WEB, stdio: "inherit", env: { ...process.env, NG_CLI_ANALYTICS: "false" } });
  if (build.status !== 0) throw new Error(`e2e: the storefront build failed (npx ng build in ${WEB} exited with ${build.status ?? build.signal})`);
}
