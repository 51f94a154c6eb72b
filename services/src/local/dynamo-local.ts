import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
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
}

function jarDirectory(): string {
  return join(dirname(require.resolve("local-dynamo/package.json")), "aws_dynamodb_local");
}

/** Starts Amazon's DynamoDB Local (the jar shipped in the `local-dynamo` package) with the machine's Java. */
export async function startDynamoLocal(options: DynamoLocalOptions = {}): Promise<DynamoLocal> {
  assertJava();
  const port = options.port ?? (await freePort());
  if (options.port !== undefined) await assertPortFree(port, "DynamoDB Local", "DYNAMODB_PORT");
  const dir = jarDirectory();
  const storage = options.dbPath ? ["-dbPath", options.dbPath] : ["-inMemory"];
  if (options.dbPath) mkdirSync(options.dbPath, { recursive: true });
  const child: ChildProcess = spawn(
    "java",
    [`-Xmx${options.heap ?? "512m"}`, `-Djava.library.path=${join(dir, "DynamoDBLocal_lib")}`, "-jar", join(dir, "DynamoDBLocal.jar"), "-port", String(port), ...storage],
    // Its own process group: a Ctrl-C in the terminal reaches only `npm start`, which stops the engine in order.
    { stdio: ["ignore", "ignore", "pipe"], detached: true },
  );
  // Never outlive the process that started it, however that process ends (short of SIGKILL).
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);
  child.once("exit", () => process.removeListener("exit", killOnExit));
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => { stderr += chunk.toString(); });
  let exited = false;
  const exitedPromise = new Promise<ExitStatus>((resolve) => child.once("exit", (code, signal) => { exited = true; resolve({ code, signal }); }));
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
