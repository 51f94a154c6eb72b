/** The storefront's one cache rule, and the local web server serving the build with it. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createWebServer } from "../src/web-server";
import { cacheControlFor, IMMUTABLE, NO_CACHE, SHORT } from "@flash-sale/services/contract";

describe("cache rule for built files", () => {
  test.each([
    ["main-OXD3TPJ6.js", IMMUTABLE],
    ["main-ABCD1234.js", IMMUTABLE],
    ["chunk-B-gMXnOR.js", IMMUTABLE],
    ["chunk-Df_8VsQ7.js", IMMUTABLE],
    ["styles-ABNXHBQR.css", IMMUTABLE],
    ["media/font-Q2W3E4R5.woff2", IMMUTABLE],
    ["index.html", NO_CACHE],
    ["config.json", NO_CACHE],
    ["favicon.svg", SHORT],
    ["images/demo-sneakers.svg", SHORT],
    ["demo-sneakers.js", SHORT],
    ["images/main-OXD3TPJ6.js", SHORT],
  ])("%s: %s", (key, expected) => {
    expect(cacheControlFor(key)).toBe(expected);
  });
});

describe("local web server", () => {
  let root: string;
  let base: string;
  const server = () =>
    createWebServer(root, {
      apiUrl: "http://localhost:3000",
      region: "us-east-1",
      userPoolId: "p",
      userPoolClientId: "c",
    });
  let running: ReturnType<typeof server>;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), "web-cache-"));
    mkdirSync(join(root, "images"));
    for (const name of [
      "index.html",
      "main-ABCD1234.js",
      "chunk-B-gMXnOR.js",
      "styles-ABNXHBQR.css",
      "favicon.svg",
      "images/demo-watch.svg",
    ]) {
      writeFileSync(join(root, name), name);
    }
    running = server();
    await new Promise<void>((resolve) => running.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(running.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    running.closeAllConnections(); // fetch keeps its connections open, and the server keeps idle ones 65 s
    await new Promise((resolve) => running.close(resolve));
    rmSync(root, { recursive: true, force: true });
  });

  test.each([
    ["/main-ABCD1234.js", IMMUTABLE],
    ["/chunk-B-gMXnOR.js", IMMUTABLE],
    ["/styles-ABNXHBQR.css", IMMUTABLE],
    ["/index.html", NO_CACHE],
    ["/orders", NO_CACHE], // a client-side route, answered with index.html
    ["/config.json", NO_CACHE],
    ["/favicon.svg", SHORT],
    ["/images/demo-watch.svg", SHORT],
  ])("serves %s with cache-control %s, as the deployed site does", async (path, expected) => {
    const response = await fetch(`${base}${path}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe(expected);
  });
});
