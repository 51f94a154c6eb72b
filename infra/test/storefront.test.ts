/** The storefront component with a temporary "web build", and the CloudFront function's rewrite rule. */
import { createHash } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import type * as pulumiType from "@pulumi/pulumi";
import { cacheControlFor, isHashed } from "@flash-sale/services/contract";
import { contentTypeFor, listSiteFiles } from "../src/site/site-files";
import { SPA_REWRITE_CODE } from "../src/site/spa-rewrite";
import { inlineScriptHashes } from "../src/site/security-headers";
import { runWithMocks, tempDir } from "./support/program";

function storefront(siteDir: string) {
  return runWithMocks({}, async (pulumi: typeof pulumiType) => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded after the mocks, on the fresh registry
    const { Storefront } = require("../src/components/storefront") as typeof import("../src/components/storefront");
    const web = new Storefront("t-web", {
      siteDir,
      apiHost: "abc.execute-api.eu-west-1.amazonaws.com",
      apiStageName: "api",
      originSecret: "origin-secret",
      publicApiPathPatterns: ["/api/availability"],
      region: "eu-west-1",
      userPoolId: "eu-west-1_Pool",
      userPoolClientId: "client",
    });
    return { keys: web.uploadedKeys, url: await new Promise((resolve) => pulumi.output(web.url).apply(resolve)) };
  });
}

/** What Angular's build inlines in index.html to turn the critical-CSS stylesheet back on. */
const INLINE_SCRIPT =
  "document.querySelectorAll('link[data-beasties-media]').forEach(function(l){l.media=l.getAttribute('data-beasties-media');l.removeAttribute('data-beasties-media')})";

/** A miniature Angular build: hashed bundles, index.html, public assets, and a stale config.json. */
function fakeBuild(dir: string): void {
  mkdirSync(path.join(dir, "images"));
  mkdirSync(path.join(dir, "media", "images"), { recursive: true });
  const files: Record<string, string> = {
    "index.html": `<!doctype html><app-root></app-root><script src="main-4UMWEYWD.js" type="module"></script><script>${INLINE_SCRIPT}</script>`,
    "main-4UMWEYWD.js": "console.log(1)",
    "chunk-76RncGOm.js": "export {}",
    "chunk-B-gMXnOR.js": "export {}",
    "styles-ABNXHBQR.css": "body{}",
    "favicon.svg": "<svg/>",
    "images/demo-sneakers.svg": "<svg/>",
    "media/images/demo-sneakers-NEFAVEXI.svg": "<svg/>",
    "media/font-Q2W3E4R5.woff2": "font",
    "config.json": '{"apiUrl":"http://localhost:3000"}',
  };
  for (const [name, content] of Object.entries(files)) writeFileSync(path.join(dir, name), content);
}

/** The storefront over a fresh miniature build, removed afterwards. */
async function withFakeBuild(
  check: (run: Awaited<ReturnType<typeof storefront>>, dir: string) => Promise<void> | void,
) {
  const { dir, remove } = tempDir("infra-web-");
  try {
    fakeBuild(dir);
    await check(await storefront(dir), dir);
  } finally {
    remove();
  }
}

/** The storefront when the build folder does not exist. */
async function withoutBuild() {
  const { dir, remove } = tempDir("infra-web-");
  remove();
  return { dir, run: await storefront(dir) };
}

describe("uploading the web build", () => {
  test("every built file is uploaded with its content type and cache policy; config.json comes from the stack", async () => {
    await withFakeBuild(async (run, dir) => {
      const objects = Object.fromEntries(
        run.ofType("aws:s3/bucketObjectv2:BucketObjectv2").map((o) => [o.inputs.key, o.inputs]),
      );
      expect(Object.keys(objects).sort()).toEqual(
        [
          "chunk-76RncGOm.js",
          "chunk-B-gMXnOR.js",
          "config.json",
          "favicon.svg",
          "images/demo-sneakers.svg",
          "index.html",
          "main-4UMWEYWD.js",
          "media/font-Q2W3E4R5.woff2",
          "media/images/demo-sneakers-NEFAVEXI.svg",
          "styles-ABNXHBQR.css",
        ].sort(),
      );
      expect(objects["index.html"]).toMatchObject({
        contentType: "text/html; charset=utf-8",
        cacheControl: "no-cache",
      });
      expect(objects["main-4UMWEYWD.js"]).toMatchObject({
        contentType: "text/javascript; charset=utf-8",
        cacheControl: "public,max-age=31536000,immutable",
      });
      expect(objects["chunk-B-gMXnOR.js"]).toMatchObject({ cacheControl: "public,max-age=31536000,immutable" });
      expect(objects["styles-ABNXHBQR.css"]).toMatchObject({
        contentType: "text/css; charset=utf-8",
        cacheControl: "public,max-age=31536000,immutable",
      });
      expect(objects["media/font-Q2W3E4R5.woff2"]).toMatchObject({
        contentType: "font/woff2",
        cacheControl: "public,max-age=31536000,immutable",
      });
      expect(objects["images/demo-sneakers.svg"]).toMatchObject({
        contentType: "image/svg+xml",
        cacheControl: "public,max-age=3600",
      });
      // The picture's content-hashed copy (asset-versions.ts), which the storefront shows: kept for a year.
      expect(objects["media/images/demo-sneakers-NEFAVEXI.svg"]).toMatchObject({
        contentType: "image/svg+xml",
        cacheControl: "public,max-age=31536000,immutable",
      });
      expect(objects["config.json"]).toMatchObject({ contentType: "application/json", cacheControl: "no-cache" });
      expect(JSON.parse(objects["config.json"]!.content)).toEqual({
        apiUrl: "https://dmock.cloudfront.net/api",
        region: "eu-west-1",
        userPoolId: "eu-west-1_Pool",
        userPoolClientId: "client",
      });
      expect(await objects["index.html"]!.source.path).toBe(path.join(dir, "index.html"));
      expect(run.warnings).toEqual([]);
    });
  });

  test("a redeploy keeps the previous build's hashed chunks, and index.html goes up after every other file", async () => {
    await withFakeBuild(async (run) => {
      const objects = run.ofType("aws:s3/bucketObjectv2:BucketObjectv2");
      const byKey = (key: string) => objects.find((o) => o.inputs.key === key)!;
      // The next build's chunks have other names: Pulumi deletes what the program no longer declares, in the same
      // update, unless told to leave it. Open tabs still lazy-load the old chunks.
      for (const key of [
        "main-4UMWEYWD.js",
        "chunk-76RncGOm.js",
        "chunk-B-gMXnOR.js",
        "styles-ABNXHBQR.css",
        "media/font-Q2W3E4R5.woff2",
        "media/images/demo-sneakers-NEFAVEXI.svg", // a cached page may still show the old picture
      ])
        expect([key, run.optionsOf(byKey(key)).retainOnDelete]).toEqual([key, true]);
      // Unhashed names are overwritten in place by the next build: nothing to keep.
      for (const key of ["index.html", "favicon.svg", "images/demo-sneakers.svg", "config.json"])
        expect([key, run.optionsOf(byKey(key)).retainOnDelete]).toEqual([key, false]);
      const index = run.optionsOf(byKey("index.html"));
      const siteFiles = objects.filter((o) => o.name.startsWith("t-web-file-") && o.inputs.key !== "index.html");
      expect(siteFiles).toHaveLength(8);
      for (const file of siteFiles) expect(index.dependsOn).toContain(`${file.type}::${file.name}`);
    });
  });

  test("a missing build folder deploys config.json only, with a warning naming the folder", async () => {
    const { dir, run } = await withoutBuild();
    expect(run.ofType("aws:s3/bucketObjectv2:BucketObjectv2").map((o) => o.inputs.key)).toEqual(["config.json"]);
    expect(run.warnings).toEqual([expect.stringContaining(`${dir} does not exist`)]);
    expect(run.exports.url).toBe("https://dmock.cloudfront.net");
  });

  test("the stage must be named api for /api/* to reach it", async () => {
    await expect(
      runWithMocks({}, async () => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded after the mocks, on the fresh registry
        const { Storefront } = require("../src/components/storefront") as typeof import("../src/components/storefront");
        new Storefront("t-web", {
          siteDir: "/nowhere",
          apiHost: "h",
          apiStageName: "$default",
          originSecret: "s",
          region: "r",
          userPoolId: "p",
          userPoolClientId: "c",
        });
      }),
    ).rejects.toThrow('the API stage must be named "api"');
  });
});

describe("file rules", () => {
  test("hashed names are Angular's <name>-<8 URL-safe base64 chars with a digit or capital>, or anything under media/", () => {
    expect(isHashed("main-4UMWEYWD.js")).toBe(true);
    expect(isHashed("chunk-76RncGOm.js")).toBe(true);
    expect(isHashed("chunk-B-gMXnOR.js")).toBe(true);
    expect(isHashed("chunk-Df_8VsQ7.js")).toBe(true);
    expect(isHashed("media/logo.png")).toBe(true);
    expect(isHashed("demo-sneakers.js")).toBe(false);
    expect(isHashed("images/main-4UMWEYWD.js")).toBe(false);
    expect(isHashed("favicon.svg")).toBe(false);
  });

  test("content types come from the extension, unknown ones as octet-stream", () => {
    expect(contentTypeFor("a/b.WEBP")).toBe("image/webp");
    expect(contentTypeFor("manifest.webmanifest")).toBe("application/manifest+json");
    expect(contentTypeFor("LICENSE")).toBe("application/octet-stream");
  });

  test("index.html and config.json are never cached", () => {
    expect(cacheControlFor("index.html")).toBe("no-cache");
    expect(cacheControlFor("config.json")).toBe("no-cache");
  });

  test("a folder that does not exist lists as undefined, not as empty", () => {
    expect(listSiteFiles("/definitely/not/here")).toBeUndefined();
  });
});

describe("SPA rewrite (CloudFront Function)", () => {
  // CloudFront runs the code as a script defining `handler`; evaluate it the same way.
  const handler = new Function(`${SPA_REWRITE_CODE}; return handler;`)() as (event: { request: { uri: string } }) => {
    uri: string;
  };
  const rewrite = (uri: string) => handler({ request: { uri } }).uri;

  test.each([
    ["/", "/index.html"],
    ["/orders", "/index.html"],
    ["/orders/0f3c2a", "/index.html"],
    ["/sale/", "/index.html"],
    ["/main-4UMWEYWD.js", "/main-4UMWEYWD.js"],
    ["/images/demo-watch.svg", "/images/demo-watch.svg"],
    ["/config.json", "/config.json"],
  ])("%s → %s", (uri, expected) => {
    expect(rewrite(uri)).toBe(expected);
  });
});

describe("security headers (tokens live in localStorage)", () => {
  test("every behaviour adds HSTS, a CSP allowing only the site's scripts and its build's inline one, no framing and a referrer policy", async () => {
    await withFakeBuild(async (run) => {
      const policy = run.one("aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy");
      const distribution = run.one("aws:cloudfront/distribution:Distribution").inputs;
      const behaviours = [distribution.defaultCacheBehavior, ...distribution.orderedCacheBehaviors];
      expect(behaviours).toHaveLength(3);
      for (const behaviour of behaviours) expect(behaviour.responseHeadersPolicyId).toBe(`${policy.name}-id`);
      const config = policy.inputs.securityHeadersConfig;
      expect(config.strictTransportSecurity).toMatchObject({ override: true });
      expect(config.strictTransportSecurity.accessControlMaxAgeSec).toBeGreaterThanOrEqual(31_536_000);
      expect(config.frameOptions).toEqual({ frameOption: "DENY", override: true });
      expect(config.referrerPolicy).toEqual({ referrerPolicy: "strict-origin-when-cross-origin", override: true });
      expect(config.contentTypeOptions).toEqual({ override: true });
      expect(config.contentSecurityPolicy.override).toBe(true);
      const csp = Object.fromEntries(
        (config.contentSecurityPolicy.contentSecurityPolicy as string).split(/;\s*/).map((directive) => {
          const [name, ...values] = directive.split(" ");
          return [name, values];
        }),
      );
      const inlineHash = `'sha256-${createHash("sha256").update(INLINE_SCRIPT).digest("base64")}'`;
      expect(csp["script-src"]).toEqual(["'self'", inlineHash]);
      expect(csp["frame-ancestors"]).toEqual(["'none'"]);
      expect(csp["object-src"]).toEqual(["'none'"]);
      expect(csp["default-src"]).toEqual(["'self'"]);
      expect(csp["connect-src"]).toEqual(["'self'", "https://cognito-idp.eu-west-1.amazonaws.com"]);
    });
  });

  test("without a build there is no inline script to allow", async () => {
    const { run } = await withoutBuild();
    const csp: string = run.one("aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy").inputs
      .securityHeadersConfig.contentSecurityPolicy.contentSecurityPolicy;
    expect(csp).toContain("script-src 'self';");
  });

  test("inline scripts are hashed as the browser hashes them; external ones and empty ones are not", () => {
    const html =
      '<script src="a.js"></script><script>x()</script><script type="module">\n y() \n</script><script></script>';
    const hash = (text: string) => `'sha256-${createHash("sha256").update(text).digest("base64")}'`;
    expect(inlineScriptHashes(html)).toEqual([hash("x()"), hash("\n y() \n")]);
  });

  test("the build's JSON map of content-hashed pictures is data, never allowed to run", () => {
    const html =
      '<script type="application/json" id="asset-versions">{"/images/a.svg":"/media/images/a-ABCD2345.svg"}</script><script type="text/javascript">x()</script>';
    const hash = (text: string) => `'sha256-${createHash("sha256").update(text).digest("base64")}'`;
    expect(inlineScriptHashes(html)).toEqual([hash("x()")]);
  });
});
