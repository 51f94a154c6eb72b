import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { assertJava } from "./java";
import { assertPortFree, freePort, waitForPort } from "./ports";

export interface DynamoLocal {
  endpoint: string;
  port: number;
  pid: number;
  stop(): Promise<void>;
}

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
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  // Never outlive the process that started it, however that process ends (short of SIGKILL).
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);
  child.once("exit", () => process.removeListener("exit", killOnExit));
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => { stderr += chunk.toString(); });
  let exited = false;
  child.once("exit", () => { exited = true; });
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
    stop: () =>
      new Promise<void>((resolve) => {
        if (exited) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
        setTimeout(() => child.kill("SIGKILL"), 3_000).unref();
      }),
  };
}
