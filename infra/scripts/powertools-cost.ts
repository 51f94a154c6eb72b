/**
 * What Powertools for AWS Lambda (Logger + Metrics) costs each handler bundle: the purchase handler bundled as
 * deployed, and again with Powertools replaced by do-nothing stand-ins; size, gzip size and the median time to
 * `require` the bundle in a fresh Node process (7 runs each, same machine, printed with its load average).
 * Run: npx tsx infra/scripts/powertools-cost.ts
 */
import * as esbuild from "esbuild";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import * as path from "node:path";
import { gzipSync } from "node:zlib";
import { handlerEntry, lambdaBuildOptions, outputOf } from "../src/bundle";

const withoutPowertools: esbuild.Plugin = {
  name: "powertools-stand-ins",
  setup(build) {
    build.onResolve({ filter: /^@aws-lambda-powertools\// }, (args) => ({ path: args.path, namespace: "stand-in" }));
    build.onLoad({ filter: /.*/, namespace: "stand-in" }, () => ({
      contents:
        "class Metrics { addMetric() {} addDimension() {} publishStoredMetrics() {} }\nclass Logger { info() {} error() {} }\nmodule.exports = { Metrics, Logger, MetricUnit: { Count: 'Count' } };",
      loader: "js",
    }));
  },
};

function medianRequireMs(code: string): number {
  const dir = mkdtempSync(path.join(tmpdir(), "powertools-cost-"));
  try {
    const file = path.join(dir, "index.js");
    writeFileSync(file, code);
    const script = `const t = process.hrtime.bigint(); require(${JSON.stringify(file)}); console.log(Number(process.hrtime.bigint() - t) / 1e6)`;
    const times = Array.from({ length: 7 }, () =>
      Number(
        execFileSync(process.execPath, ["-e", script], {
          env: { PATH: process.env.PATH ?? "", TABLE_NAME: "t", AWS_REGION: "eu-west-1" },
        }).toString(),
      ),
    );
    return times.sort((a, b) => a - b)[3]!;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const entry = handlerEntry("purchase");
  for (const [label, plugins] of [
    ["with Powertools", []],
    ["without Powertools", [withoutPowertools]],
  ] as const) {
    const { code } = outputOf(await esbuild.build(lambdaBuildOptions(entry, "node22", [...plugins])));
    const size = Buffer.byteLength(code) / 1000;
    console.log(
      `${label.padEnd(20)} ${size.toFixed(1)} kB (${(gzipSync(code).length / 1000).toFixed(1)} kB gzip), median require ${medianRequireMs(code).toFixed(1)} ms`,
    );
  }
  console.log(
    `node ${process.version}, load average ${loadavg()
      .map((load) => load.toFixed(2))
      .join(" ")}`,
  );
}

void main();
