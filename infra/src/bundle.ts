/**
 * esbuild bundles for Lambda handlers and the EC2 agent: one self-contained CommonJS file each, AWS SDK included,
 * so a function's archive holds only index.js (no node_modules, no closure serialization).
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
 * Bundles are memoised per process (on globalThis, so module reloads share it): the same file bundles to the
 * same bytes, and the mocked tests run the program many times in one process with fresh module registries.
 */
const MEMO_KEY = Symbol.for("flash-sale.infra.bundles");
function memo(): Map<string, Promise<string>> {
  const holder = globalThis as { [MEMO_KEY]?: Map<string, Promise<string>> };
  return (holder[MEMO_KEY] ??= new Map());
}

/** Bundles `entry` into one minified CommonJS file and returns its text. */
export function bundle(entry: string, target: NodeTarget): Promise<string> {
  const key = `${target}:${entry}`;
  let result = memo().get(key);
  if (!result) {
    result = bundleOnce(entry, target);
    memo().set(key, result);
  }
  return result;
}

async function bundleOnce(entry: string, target: NodeTarget): Promise<string> {
  if (!existsSync(entry)) throw new Error(`cannot bundle ${path.relative(REPO_ROOT, entry)}: the file does not exist`);
  try {
    const result = await esbuild.build({
      entryPoints: [entry],
      bundle: true,
      platform: "node",
      target,
      format: "cjs",
      minify: true,
      // The SDK's ES module builds tree-shake to ~60% of the CJS size (measured in TOOLCHAIN.md).
      mainFields: ["module", "main"],
      legalComments: "none",
      write: false,
      outfile: "index.js",
      logLevel: "silent",
    });
    const output = result.outputFiles[0];
    if (!output) throw new Error("esbuild produced no output");
    return output.text;
  } catch (error) {
    throw new Error(`cannot bundle ${path.relative(REPO_ROOT, entry)}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Where route handler `name` lives (services/src/handlers/<name>.ts, exporting `handler`). */
export function handlerEntry(name: string): string {
  return path.join(REPO_ROOT, "services", "src", "handlers", `${name}.ts`);
}

/** A Lambda deployment archive holding just the bundle as index.js (so the function's handler is `index.handler`). */
export function lambdaArchive(entry: string, target: NodeTarget): pulumi.asset.AssetArchive {
  return new pulumi.asset.AssetArchive({ "index.js": new pulumi.asset.StringAsset(bundle(entry, target)) });
}
