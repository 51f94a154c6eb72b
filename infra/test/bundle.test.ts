/**
 * The real route handlers, bundled exactly as the program bundles them, run on their own (no node_modules) in a
 * separate Node process the way Lambda loads index.js.
 */
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { gzipSync } from "node:zlib";
import { routes } from "@flash-sale/services/routes";
import { bundle, BUNDLE_BUDGET_BYTES, handlerEntry, nodeTarget, PAYMENT_BUNDLE_BUDGET_BYTES } from "../src/bundle";
import { missingRequires } from "./support/bundle-check";
import { tempDir } from "./support/program";

const handlers = [...new Set(routes.map((route) => route.handler))];

/** Calls `handler(event)` of the bundle in `dir/index.js` in a fresh Node process and returns its result. */
function invoke(dir: string, event: unknown): unknown {
  // The handler logs its request line to stdout, so the result goes to a file of its own.
  const resultFile = path.join(dir, "result.json");
  const script = `require(${JSON.stringify(path.join(dir, "index.js"))}).handler(${JSON.stringify(event)}).then((r) => require("node:fs").writeFileSync(${JSON.stringify(resultFile)}, JSON.stringify(r)))`;
  execFileSync(process.execPath, ["-e", script], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? "", TABLE_NAME: "t", AWS_REGION: "eu-west-1" },
    stdio: "ignore",
  });
  return JSON.parse(readFileSync(resultFile, "utf8"));
}

describe("handler bundles", () => {
  test.each(handlers)(
    "%s bundles into one self-contained file with the AWS SDK inside, within the size budget",
    async (handler) => {
      const code = await bundle(handlerEntry(handler), "node22");
      const bytes = Buffer.byteLength(code);
      const takesPayments = routes.some((route) => route.handler === handler && route.paymentSecrets);
      const budget = takesPayments ? PAYMENT_BUNDLE_BUDGET_BYTES : BUNDLE_BUDGET_BYTES;
      process.stdout.write(
        `bundle ${handler}: ${(bytes / 1000).toFixed(1)} kB (${(gzipSync(code).length / 1000).toFixed(1)} kB gzip), budget ${budget / 1000} kB\n`,
      );
      expect(missingRequires(code)).toEqual([]);
      expect(bytes).toBeLessThanOrEqual(budget);
      // The Stripe SDK stays out of every function that does not call the provider.
      expect(code.includes("api.stripe.com")).toBe(takesPayments);
    },
  );

  test("Lambda bundles carry only the environment credential provider (the SDK's default chain is left out)", async () => {
    const code = await bundle(handlerEntry("get-order"), "node22");
    expect(code).not.toContain("AWS_WEB_IDENTITY_TOKEN_FILE");
    expect(code).not.toContain("credential_process");
    expect(code).not.toContain("sso_session");
    expect(code).toContain("AWS_SECRET_ACCESS_KEY");
  });

  test("a bundle runs with no node_modules: an unauthenticated event gets the contract's 401", async () => {
    const { dir, remove } = tempDir("infra-bundle-");
    try {
      writeFileSync(path.join(dir, "index.js"), await bundle(handlerEntry("purchase"), "node22"));
      const response = invoke(dir, {
        version: "2.0",
        routeKey: "POST /purchases",
        rawPath: "/purchases",
        headers: {},
        requestContext: { requestId: "r1" },
        body: "{}",
        isBase64Encoded: false,
      }) as {
        statusCode: number;
        body: string;
      };
      expect(response.statusCode).toBe(401);
      expect(JSON.parse(response.body).error.code).toBe("UNAUTHORIZED");
    } finally {
      remove();
    }
  });

  test("bundling is deterministic, so an unchanged handler does not redeploy", async () => {
    const first = await bundle(handlerEntry("get-order"), "node24");
    // Bypass the per-process memo: a fresh module registry bundles again from scratch.
    const memo = (globalThis as Record<symbol, Map<string, unknown>>)[Symbol.for("flash-sale.infra.bundles")]!;
    memo.clear();
    expect(await bundle(handlerEntry("get-order"), "node24")).toBe(first);
  });

  test("the Lambda runtime picks the esbuild target", () => {
    expect(nodeTarget("nodejs22.x")).toBe("node22");
    expect(nodeTarget("nodejs24.x")).toBe("node24");
  });

  test("a missing handler file fails with a message naming it", async () => {
    await expect(bundle(handlerEntry("noSuchHandler"), "node22")).rejects.toThrow(
      "cannot bundle services/src/functions/noSuchHandler.ts: the file does not exist",
    );
  });
});
