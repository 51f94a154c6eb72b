/**
 * esbuild bundles for Lambda handlers: one self-contained CommonJS file per handler (AWS SDK included) with
 * only what that handler imports, and its source map beside it, so a function's archive holds index.js and
 * index.js.map (no node_modules, no closure serialization). Sizes: infra/test/bundle.test.ts prints them.
 */
import * as esbuild from "esbuild";
import { existsSync } from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import type { LambdaRuntime } from "./config";
import { REPO_ROOT } from "./config";

export type NodeTarget = "node22" | "node24";

export function nodeTarget(runtime: LambdaRuntime): NodeTarget {
  return runtime === "nodejs24.x" ? "node24" : "node22";
}

/**
 * Each function must stay at or under this many bytes of index.js (cold start grows with the code parsed).
 * Raised from 300 kB on 2026-12-06, consciously: of a route bundle's ~300 kB, ~252 kB are the AWS SDK's DynamoDB
 * client and Powertools (their patch releases alone moved it ~0.2 kB), ~48 kB the application, and every route
 * carries every route's work (http/route-work.ts builds them all from one table). Splitting that per route is the
 * lever (~15-30 kB, infra/README.md), not code golf in the shared path.
 */
export const BUNDLE_BUDGET_BYTES = 320_000;
/**
 * The functions that call the payment provider (route rows with `paymentSecrets`) carry the official Stripe SDK,
 * ~250 kB minified that does not tree-shake (one client object with every resource): they get this budget.
 */
export const PAYMENT_BUNDLE_BUDGET_BYTES = 600_000;
/**
 * The order events consumer (services/src/functions/order-events.ts) carries the SES v2 and Cognito user pool
 * clients beside DynamoDB's: 371.7 kB (113.3 kB gzip) measured with esbuild 0.28.2, so it gets this budget.
 */
export const ORDER_EVENTS_BUNDLE_BUDGET_BYTES = 400_000;

export interface Bundle {
  code: string;
  /** The source map (mappings only, no sources inside) that `--enable-source-maps` reads for logged stacks. */
  map: string;
}

/**
 * Work is memoised per process (on globalThis, so module reloads share it): the same file bundles to the same
 * bytes, and the mocked tests run the program many times in one process with fresh module registries.
 */
const MEMO_KEY = Symbol.for("flash-sale.infra.bundles");
export function memoised<T>(key: string, work: () => Promise<T>): Promise<T> {
  const holder = globalThis as { [MEMO_KEY]?: Map<string, Promise<unknown>> };
  const memo = (holder[MEMO_KEY] ??= new Map());
  let result = memo.get(key) as Promise<T> | undefined;
  if (!result) {
    result = work();
    memo.set(key, result);
  }
  return result;
}

/**
 * In Lambda the credentials are always in the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
 * AWS_SESSION_TOKEN), so the SDK's default chain (SSO, INI files, IMDS, STS web identity, ...) is dead weight:
 * ~130 kB of each bundle. Handlers get the environment provider alone.
 */
const lambdaCredentials: esbuild.Plugin = {
  name: "lambda-environment-credentials",
  setup(build) {
    build.onResolve({ filter: /^@aws-sdk\/credential-provider-node$/ }, () => ({
      path: "lambda-environment-credentials",
      namespace: "flash-sale",
    }));
    build.onLoad({ filter: /.*/, namespace: "flash-sale" }, () => ({
      contents:
        'const { fromEnv } = require("@aws-sdk/credential-provider-env");\nexports.defaultProvider = (init) => fromEnv(init);\n',
      resolveDir: path.join(REPO_ROOT, "services"),
      loader: "js",
    }));
  },
};

/** Bundles a Lambda handler into one minified CommonJS file and its source map. */
export function bundleHandler(entry: string, target: NodeTarget): Promise<Bundle> {
  return memoised(`${target}:${entry}`, () => bundleOnce(entry, target));
}

/** The handler bundle's code alone. */
export async function bundle(entry: string, target: NodeTarget): Promise<string> {
  return (await bundleHandler(entry, target)).code;
}

/** The esbuild options of every Lambda bundle (exported for infra/scripts/powertools-cost.ts). */
export function lambdaBuildOptions(
  entry: string,
  target: NodeTarget,
  extraPlugins: esbuild.Plugin[] = [],
): esbuild.BuildOptions & { write: false } {
  return {
    entryPoints: [entry],
    bundle: true,
    platform: "node",
    target,
    format: "cjs",
    minify: true,
    // The SDK's ES module builds tree-shake to ~60% of the CJS size (measured in TOOLCHAIN.md).
    mainFields: ["module", "main"],
    legalComments: "none",
    sourcemap: "linked",
    sourcesContent: false,
    sourceRoot: "",
    plugins: [...extraPlugins, lambdaCredentials],
    write: false,
    outdir: "out",
    entryNames: "index",
    logLevel: "silent",
  };
}

async function bundleOnce(entry: string, target: NodeTarget): Promise<Bundle> {
  if (!existsSync(entry)) throw new Error(`cannot bundle ${path.relative(REPO_ROOT, entry)}: the file does not exist`);
  try {
    return outputOf(await esbuild.build(lambdaBuildOptions(entry, target)));
  } catch (error) {
    throw new Error(
      `cannot bundle ${path.relative(REPO_ROOT, entry)}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

export function outputOf(result: esbuild.BuildResult<{ write: false }>): Bundle {
  const code = result.outputFiles.find((file) => file.path.endsWith("index.js"));
  const map = result.outputFiles.find((file) => file.path.endsWith("index.js.map"));
  if (!code || !map) throw new Error("esbuild produced no output");
  return { code: code.text, map: map.text };
}

/** Where route handler `name`'s Lambda entry point lives: `@flash-sale/services/functions/<name>` (exporting `handler`). */
export function handlerEntry(name: string): string {
  return path.join(
    path.dirname(require.resolve("@flash-sale/services/package.json")),
    "src",
    "functions",
    `${name}.ts`,
  );
}

/** A Lambda deployment archive: the bundle as index.js (handler `index.handler`) and its map as index.js.map. */
export function lambdaArchive(entry: string, target: NodeTarget): pulumi.asset.AssetArchive {
  const built = bundleHandler(entry, target);
  return new pulumi.asset.AssetArchive({
    "index.js": new pulumi.asset.StringAsset(built.then((b) => b.code)),
    "index.js.map": new pulumi.asset.StringAsset(built.then((b) => b.map)),
  });
}
