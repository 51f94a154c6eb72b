/** What to upload from the storefront build, with the content type and cache policy each file needs. */
import { existsSync, readdirSync, statSync } from "node:fs";
import * as path from "node:path";
import { cacheControlFor, RUNTIME_CONFIG_KEY } from "@flash-sale/services/contract";

export interface SiteFile {
  /** Object key, with `/` separators (e.g. `images/demo-watch.svg`). */
  key: string;
  /** Absolute path on this machine. */
  source: string;
  contentType: string;
  cacheControl: string;
}

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".map": "application/json",
  ".webmanifest": "application/manifest+json",
  ".txt": "text/plain; charset=utf-8",
  ".xml": "application/xml",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".webp": "image/webp",
  ".avif": "image/avif",
  ".ico": "image/x-icon",
  ".woff": "font/woff",
  ".woff2": "font/woff2",
  ".ttf": "font/ttf",
};

export function contentTypeFor(key: string): string {
  return CONTENT_TYPES[path.extname(key).toLowerCase()] ?? "application/octet-stream";
}

/** Every file under `dir` (recursively, sorted), or undefined when the folder does not exist. */
export function listSiteFiles(dir: string): SiteFile[] | undefined {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return undefined;
  const files: SiteFile[] = [];
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) {
        const key = path.relative(dir, full).split(path.sep).join("/");
        if (key === RUNTIME_CONFIG_KEY) continue;
        files.push({ key, source: full, contentType: contentTypeFor(key), cacheControl: cacheControlFor(key) });
      }
    }
  };
  walk(dir);
  return files;
}
