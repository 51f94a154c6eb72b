import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { setPriority } from "node:os";
import { dirname, join, resolve } from "node:path";
import { onCpus } from "./cpu-affinity";
import { assertJava } from "./java";
import { assertPortFree, freePort, waitForPort } from "./ports";

export interface DynamoLocal {
  endpoint: string;
  port: number;
  pid: number;
  /** Settles when the engine process ends, however it ends. */
  exited: Promise<ExitStatus>;
  /** SIGTERM, then wait for the JVM to close its database (SIGKILL only after `STOP_GRACE_MS`). */
  stop(): Promise<void>;
}

export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The end of what the engine wrote to stderr: why it stopped, when it says so. */
  lastWords?: string;
}

/**
 * DynamoDB Local can lose writes it already acknowledged when it is killed with SIGKILL, so it is
 * always asked to stop (SIGTERM) and given time to close its database.
 */
export const STOP_GRACE_MS = 10_000;

export interface DynamoLocalOptions {
  /** Defaults to a free port. */
  port?: number;
  /** Keep data in this folder; omitted means in memory. */
  dbPath?: string;
  /** JVM heap; without a cap the JVM grows to ~2 GB. */
  heap?: string;
  /**
   * Scheduling niceness (0-19) for the JVM. On a machine where the engine shares cores with the API and a
   * load generator, a higher value lets the front door answer (and shed) first, as it would on its own
   * machines in AWS; the engine takes the CPU left over.
   */
  nice?: number;
  /** Run the JVM on these CPUs only (a Linux CPU list such as "1"; see cpu-affinity.ts); default: anywhere. */
  cpus?: string;
  /** Folder holding DynamoDBLocal.jar and DynamoDBLocal_lib/; defaults to DYNAMODB_LOCAL_JAR_DIR, then local-dynamo's. */
  jarDir?: string;
}

/**
 * Only the JVM's quick compiler (C1). With its optimising one (C2) too, DynamoDB Local needed many
 * seconds of load to reach its pace, the compiler competing with the engine for the CPU: in a perf run
 * on a CPU of its own it "settled" at 135 transactions/s and measured 192 before and 230 after the
 * sale. With C1 alone it settles at 316-339 within 5 s and both measures agree (perf/RESULTS.md).
 */
const QUICK_JIT = ["-XX:TieredStopAtLevel=1"];

/**
 * Half the heap for short-lived objects (the JVM's default is a third). Nearly everything a request
 * allocates dies with it and the tables live in SQLite's native memory, so fewer, cheaper collections:
 * on one CPU, purchase-shaped transactions rose from 305-331/s to 331-347/s (2026-11-24, alternating runs
 * of a closed loop and a loop with 0-10 ms pauses, 32 in flight).
 */
const LARGE_YOUNG_GENERATION = ["-XX:NewRatio=1"];

/** The jar `local-dynamo` ships (1.11.478): the project's default engine. */
export const bundledJarDirectory = () =>
  join(dirname(require.resolve("local-dynamo/package.json")), "aws_dynamodb_local");

/**
 * Where DynamoDBLocal.jar lives: `jarDir`, else DYNAMODB_LOCAL_JAR_DIR (another DynamoDB Local
 * release unpacked somewhere, see perf/README.md "Which DynamoDB Local"), else the bundled one.
 */
export function jarDirectory(jarDir?: string): string {
  const chosen = jarDir ?? (process.env.DYNAMODB_LOCAL_JAR_DIR || undefined);
  if (chosen === undefined) return bundledJarDirectory();
  const dir = resolve(chosen);
  const source = jarDir === undefined ? "DYNAMODB_LOCAL_JAR_DIR" : "the jar folder option";
  for (const needed of ["DynamoDBLocal.jar", "DynamoDBLocal_lib"]) {
    if (!existsSync(join(dir, needed))) throw new Error(`${source} points at '${dir}', which has no ${needed}`);
  }
  return dir;
}

/** Starts Amazon's DynamoDB Local (by default the jar shipped in the `local-dynamo` package) with the machine's Java. */
export async function startDynamoLocal(options: DynamoLocalOptions = {}): Promise<DynamoLocal> {
  assertJava();
  const port = options.port ?? (await freePort());
  if (options.port !== undefined) await assertPortFree(port, "DynamoDB Local", "DYNAMODB_PORT");
  const dir = jarDirectory(options.jarDir);
  const storage = options.dbPath ? ["-dbPath", options.dbPath] : ["-inMemory"];
  if (options.dbPath) mkdirSync(options.dbPath, { recursive: true });
  const [command, args] = onCpus(options.cpus, "java", [
    `-Xmx${options.heap ?? "512m"}`,
    ...QUICK_JIT,
    ...LARGE_YOUNG_GENERATION,
    `-Djava.library.path=${join(dir, "DynamoDBLocal_lib")}`,
    "-jar",
    join(dir, "DynamoDBLocal.jar"),
    "-port",
    String(port),
    ...storage,
  ]);
  const child: ChildProcess = spawn(
    command,
    args,
    // Its own process group: a Ctrl-C in the terminal reaches only `npm start`, which stops the engine in order.
    // Releases from 1.2x on send telemetry and write dynamodb-local-metadata.json into the working folder unless told not to.
    { stdio: ["ignore", "ignore", "pipe"], detached: true, env: { ...process.env, DDB_LOCAL_TELEMETRY: "0" } },
  );
  if (options.nice && child.pid) setPriority(child.pid, options.nice);
  // Never outlive the process that started it, however that process ends (short of SIGKILL).
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);
  child.once("exit", () => process.removeListener("exit", killOnExit));
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4_000);
  });
  let exited = false;
  const exitedPromise = new Promise<ExitStatus>((resolve) =>
    child.once("exit", (code, signal) => {
      exited = true;
      resolve({
        code,
        signal,
        ...(stderr.trim() ? { lastWords: stderr.trim().split("\n").slice(-3).join(" | ") } : {}),
      });
    }),
  );
  try {
    await waitForPort(port, 30_000, () => !exited);
  } catch (error) {
    child.kill("SIGKILL");
    throw new Error(`DynamoDB Local did not start on port ${port}: ${(error as Error).message}\n${stderr}`);
  }
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    pid: child.pid ?? -1,
    exited: exitedPromise,
    stop: async () => {
      if (exited) return;
      child.kill("SIGCONT"); // a frozen engine cannot act on SIGTERM
      child.kill("SIGTERM");
      const force = setTimeout(() => child.kill("SIGKILL"), STOP_GRACE_MS);
      await exitedPromise;
      clearTimeout(force);
    },
  };
}
