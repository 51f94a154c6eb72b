import { createHash } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, extname, join, relative, sep } from "node:path";

/**
 * Content-hashed copies of the storefront's unhashed pictures (`images/*`, `favicon.svg`), so browsers and
 * CloudFront may keep them for a year (`media/` is immutable in cache-policy.ts): a changed picture gets a new
 * name. The catalog keeps naming `/images/x.svg` (that address still answers, cached briefly); the build writes
 * the map from those addresses to the hashed ones into index.html, where the app reads it (core/asset-urls.ts).
 * Runs after every `ng build` (web's build script, and storefront-build.ts).
 */

/** The `<script type="application/json">` in index.html holding `{ "/images/x.svg": "/media/images/x-HASH.svg" }`. */
export const ASSET_MAP_ID = "asset-versions";
/** Where the hashed copies go: under media/, which the cache rule treats as content-hashed. */
export const VERSIONED_DIR = "media";
const SOURCES = ["images", "favicon.svg"];

/** Eight characters of the content's SHA-256 in base32 capitals and digits (what cache-policy.ts calls a hash). */
export function contentHash(data: Buffer): string {
  const digest = createHash("sha256").update(data).digest();
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = 0;
  let value = 0;
  let out = "";
  for (const byte of digest) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5 && out.length < 8) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    if (out.length === 8) break;
  }
  return out;
}

function filesUnder(path: string): string[] {
  if (!existsSync(path)) return [];
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path)
    .sort()
    .flatMap((name) => filesUnder(join(path, name)));
}

/**
 * Copies each picture to `media/<its path>-<hash><ext>`, writes the address map into index.html (replacing an
 * earlier one) and points index.html's own favicon link at its copy. Returns the map.
 */
export function versionAssets(distDir: string): Record<string, string> {
  const map: Record<string, string> = {};
  for (const file of SOURCES.flatMap((source) => filesUnder(join(distDir, source)))) {
    const key = relative(distDir, file).split(sep).join("/");
    const extension = extname(key);
    const versioned = `${VERSIONED_DIR}/${key.slice(0, -extension.length || undefined)}-${contentHash(readFileSync(file))}${extension}`;
    mkdirSync(dirname(join(distDir, versioned)), { recursive: true });
    copyFileSync(file, join(distDir, versioned));
    map[`/${key}`] = `/${versioned}`;
  }
  const indexPath = join(distDir, "index.html");
  if (existsSync(indexPath)) writeFileSync(indexPath, withAssetMap(readFileSync(indexPath, "utf8"), map));
  return map;
}

/** index.html with the map as a JSON data block at the end of `<head>` and its favicon link on the hashed copy. */
export function withAssetMap(html: string, map: Record<string, string>): string {
  // `<` escaped: the JSON can never close the script element early.
  const json = JSON.stringify(map).replace(/</g, "\\u003c");
  const block = `<script type="application/json" id="${ASSET_MAP_ID}">${json}</script>`;
  const existing = new RegExp(`<script type="application/json" id="${ASSET_MAP_ID}">[\\s\\S]*?</script>`);
  let page = existing.test(html) ? html.replace(existing, block) : html.replace("</head>", `${block}</head>`);
  const favicon = map["/favicon.svg"];
  if (favicon) page = page.replace(/(<link rel="icon"[^>]*href=")\/?favicon\.svg"/, `$1${favicon}"`);
  return page;
}
