/** The local web server compresses the storefront as CloudFront does, and keeps the cache rule while doing so. */
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { get, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { IMMUTABLE, NO_CACHE } from "@flash-sale/services/contract";
import { chooseEncoding, isCompressible } from "../src/compression";
import { createWebServer } from "../src/web-server";

describe("choosing an encoding from Accept-Encoding", () => {
  test.each([
    ["gzip, deflate, br, zstd", "br"],
    ["gzip, deflate", "gzip"],
    ["br;q=0, gzip", "gzip"],
    ["gzip;q=0", undefined],
    ["*", "br"],
    ["*;q=0, gzip", "gzip"],
    ["identity", undefined],
    ["deflate", undefined],
    ["", undefined],
    [undefined, undefined],
  ])("%s → %s", (header, expected) => {
    expect(chooseEncoding(header)).toBe(expected);
  });
});

describe("what CloudFront compresses", () => {
  test.each([
    ["text/javascript; charset=utf-8", 5_000, true],
    ["text/html; charset=utf-8", 1_000, true],
    ["image/svg+xml", 10_000_000, true],
    ["text/css", 999, false],
    ["application/json", 10_000_001, false],
    ["image/png", 50_000, false],
    ["font/woff2", 50_000, false],
  ])("%s of %d bytes: %s", (type, size, expected) => {
    expect(isCompressible(type, size)).toBe(expected);
  });
});

describe("local web server compression", () => {
  let root: string;
  let port: number;
  const script = `console.log(${JSON.stringify("flash sale ".repeat(500))});\n`;
  const page = `<!doctype html><title>Flash sale</title>${"<p>shell</p>".repeat(200)}`;
  const picture = randomBytes(4_000);
  let server: Server;

  /** A raw request: fetch would add its own Accept-Encoding and decompress the answer. */
  function request(
    path: string,
    acceptEncoding?: string,
  ): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> {
    return new Promise((resolve, reject) => {
      get(
        { host: "127.0.0.1", port, path, headers: acceptEncoding ? { "accept-encoding": acceptEncoding } : {} },
        (response) => {
          const chunks: Buffer[] = [];
          response.on("data", (chunk: Buffer) => chunks.push(chunk));
          response.on("end", () =>
            resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }),
          );
        },
      ).on("error", reject);
    });
  }

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), "web-compression-"));
    mkdirSync(join(root, "images"));
    writeFileSync(join(root, "main-ABCD1234.js"), script);
    writeFileSync(join(root, "index.html"), page);
    writeFileSync(join(root, "images", "photo.png"), picture);
    writeFileSync(join(root, "favicon.svg"), "<svg/>");
    server = createWebServer(root, {
      apiUrl: "http://localhost:3000",
      region: "us-east-1",
      userPoolId: "p",
      userPoolClientId: "c",
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    rmSync(root, { recursive: true, force: true });
  });

  test("a browser accepting Brotli gets a hashed bundle in Brotli, cached for a year", async () => {
    const response = await request("/main-ABCD1234.js", "gzip, deflate, br");

    expect(response.status).toBe(200);
    expect(response.headers["content-encoding"]).toBe("br");
    expect(response.headers.vary).toBe("Accept-Encoding");
    expect(response.headers["cache-control"]).toBe(IMMUTABLE);
    expect(Number(response.headers["content-length"])).toBe(response.body.length);
    expect(response.body.length).toBeLessThan(script.length / 10);
    expect(brotliDecompressSync(response.body).toString()).toBe(script);
  });

  test("a browser accepting only gzip (Chrome over plain HTTP) gets gzip", async () => {
    const response = await request("/main-ABCD1234.js", "gzip, deflate");

    expect(response.headers["content-encoding"]).toBe("gzip");
    expect(gunzipSync(response.body).toString()).toBe(script);
  });

  test("a client-side route's index.html is compressed and revalidated on every load", async () => {
    const response = await request("/orders", "gzip, deflate, br");

    expect(response.headers["content-encoding"]).toBe("br");
    expect(response.headers["cache-control"]).toBe(NO_CACHE);
    expect(brotliDecompressSync(response.body).toString()).toBe(page);
  });

  test("a request without Accept-Encoding gets the file as it is, with its length", async () => {
    const response = await request("/main-ABCD1234.js");

    expect(response.headers["content-encoding"]).toBeUndefined();
    expect(response.headers.vary).toBe("Accept-Encoding");
    expect(Number(response.headers["content-length"])).toBe(Buffer.byteLength(script));
    expect(response.body.toString()).toBe(script);
  });

  test("a type CloudFront leaves alone (PNG) and a file under 1,000 bytes are sent as they are", async () => {
    const png = await request("/images/photo.png", "gzip, br");
    const small = await request("/favicon.svg", "gzip, br");

    expect(png.headers["content-encoding"]).toBeUndefined();
    expect(png.body.equals(picture)).toBe(true);
    expect(small.headers["content-encoding"]).toBeUndefined();
    expect(small.body.toString()).toBe("<svg/>");
  });

  test("a rebuilt file is compressed afresh, never served from the old copy", async () => {
    await request("/main-ABCD1234.js", "br");
    const rebuilt = `${script}console.log("rebuilt");\n`;
    writeFileSync(join(root, "main-ABCD1234.js"), rebuilt);

    const response = await request("/main-ABCD1234.js", "br");

    expect(brotliDecompressSync(response.body).toString()).toBe(rebuilt);
  });
});
