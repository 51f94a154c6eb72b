/** Content-hashed copies of the storefront's pictures, so they can be cached for a year. */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cacheControlFor, IMMUTABLE } from "@flash-sale/services/contract";
import { ASSET_MAP_ID, contentHash, versionAssets } from "../src/asset-versions";

const INDEX = `<!doctype html><html><head><link rel="icon" type="image/svg+xml" href="favicon.svg"></head><body></body></html>`;

describe("versioning the build's pictures", () => {
  let dist: string;

  beforeEach(() => {
    dist = mkdtempSync(join(tmpdir(), "asset-versions-"));
    mkdirSync(join(dist, "images"));
    writeFileSync(join(dist, "images", "demo-watch.svg"), "<svg>watch</svg>");
    writeFileSync(join(dist, "favicon.svg"), "<svg>icon</svg>");
    writeFileSync(join(dist, "index.html"), INDEX);
  });

  afterEach(() => rmSync(dist, { recursive: true, force: true }));

  const mapIn = (html: string) =>
    JSON.parse(new RegExp(`<script type="application/json" id="${ASSET_MAP_ID}">(.*?)</script>`).exec(html)![1]!);

  test("each picture gets a copy named by its content under media/, which is cached for a year", () => {
    const map = versionAssets(dist);

    const watch = map["/images/demo-watch.svg"]!;
    expect(watch).toBe(`/media/images/demo-watch-${contentHash(Buffer.from("<svg>watch</svg>"))}.svg`);
    expect(readFileSync(join(dist, watch), "utf8")).toBe("<svg>watch</svg>");
    expect(cacheControlFor(watch.slice(1))).toBe(IMMUTABLE);
    expect(existsSync(join(dist, "images", "demo-watch.svg"))).toBe(true); // the catalog's address still answers
  });

  test("a changed picture gets a new name, so a year-long cache never shows the old one", () => {
    const before = versionAssets(dist)["/images/demo-watch.svg"];
    writeFileSync(join(dist, "images", "demo-watch.svg"), "<svg>new watch</svg>");

    const after = versionAssets(dist)["/images/demo-watch.svg"];

    expect(after).not.toBe(before);
  });

  test("index.html carries the map once (also after a second run) and links the favicon's copy", () => {
    versionAssets(dist);
    const map = versionAssets(dist);

    const html = readFileSync(join(dist, "index.html"), "utf8");
    expect(html.match(new RegExp(`id="${ASSET_MAP_ID}"`, "g"))).toHaveLength(1);
    expect(mapIn(html)).toEqual(map);
    expect(html).toContain(`href="${map["/favicon.svg"]}"`);
  });

  test("the hash is eight capitals and digits, what the cache rule recognises as a hash", () => {
    expect(contentHash(Buffer.from("anything"))).toMatch(/^[A-Z2-7]{8}$/);
  });
});
