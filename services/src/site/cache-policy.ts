/**
 * How long browsers and CloudFront may keep each file of the storefront build: the one rule shared by
 * the deployed site (infra/src/site/site-files.ts, as S3 object metadata) and the local web server
 * (services/local/src/web-server.ts, as response headers).
 */

/** A content-hashed file never changes under its name: cache it for a year, never revalidate. */
export const IMMUTABLE = "public,max-age=31536000,immutable";
/** The entry points: revalidated on every load, so a deploy shows at once. */
export const NO_CACHE = "no-cache";
/**
 * Unhashed files (favicon, catalog images at their plain addresses): may change between deploys, so cached
 * briefly. The storefront shows the pictures' content-hashed copies under media/ instead (asset-versions.ts).
 */
export const SHORT = "public,max-age=3600";

/** The runtime configuration: generated from the stack, never taken from the build. */
export const RUNTIME_CONFIG_KEY = "config.json";

/**
 * Angular's build names its bundles `<name>-<8-char hash>.js|css` at the root, with hashes in the
 * URL-safe base64 alphabet (`main-OXD3TPJ6.js`, `chunk-B-gMXnOR.js`, `chunk-Df_8VsQ7.js`), and hashes
 * everything under `media/`. Files copied from `public/` keep their names. A real hash mixes in a
 * digit or a capital, which tells it apart from a plain word (`demo-sneakers.js`); the rare hash
 * without one is then cached briefly, never wrongly for a year.
 */
export function isHashed(key: string): boolean {
  if (key.startsWith("media/")) return true;
  const match = /^[^/]+?-([A-Za-z0-9_-]{8})\.(?:js|mjs|css)$/.exec(key);
  return match !== null && /[A-Z0-9]/.test(match[1] ?? "");
}

/** `key`: the file's path inside the build, with `/` separators and no leading slash (`images/x.svg`). */
export function cacheControlFor(key: string): string {
  if (key === "index.html" || key === RUNTIME_CONFIG_KEY) return NO_CACHE;
  return isHashed(key) ? IMMUTABLE : SHORT;
}
