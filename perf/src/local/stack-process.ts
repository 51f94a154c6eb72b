import { fork } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { freePort } from "@flash-sale/local/ports";
import type { PartitionMeterReport } from "./partition-meter";

export interface StackEndpoints {
  apiUrl: string;
  region: string;
  userPoolId: string;
  userPoolClientId: string;
  cognitoEndpoint: string;
  tableName: string;
  dynamoEndpoint: string;
  /** The payment stand-in's API (Stripe's shape) and its secret key. */
  payments: { url: string; secretKey: string };
}

export interface StackProcess extends StackEndpoints {
  pid: number;
  stop(): Promise<void>;
  /** With `meter`: which shoppers' partitions the API's DynamoDB calls touched so far. */
  meter(): Promise<PartitionMeterReport | null>;
}

/**
 * Starts the local stack in a child process (see stack-child.ts for why) and waits for its endpoints.
 * `dataDir` keeps DynamoDB and the user pool between runs, so shoppers and their tokens are reused.
 */
export interface StackProcessOptions {
  dataDir?: string;
  timeoutMs?: number;
  /** DynamoDB Local on disk under dataDir instead of in memory (the default for load runs: faster, and nothing to keep). */
  dynamoOnDisk?: boolean;
  /** Each function's in-flight limit for purchases in the gateway (default: the gateway's own). */
  purchaseConcurrency?: number;
  /** CPUs for DynamoDB Local's JVM alone (a Linux CPU list); default: anywhere. */
  engineCpus?: string;
  /** What the stack says (engine warm-up, restarts). */
  onNews?: (line: string) => void;
  /** Meter the API's DynamoDB calls per partition (perf's waiting-room run). */
  meter?: boolean;
}

/**
 * Starts the stack in its own process. Ports are chosen free and then bound by the child a moment later, so
 * another process (a test run beside this one, or one engine of this very stack) can take one in between: a
 * start refused for a port in use is tried once more, on newly chosen ports.
 */
export async function startStackProcess(options: StackProcessOptions = {}): Promise<StackProcess> {
  try {
    return await startStackProcessOnce(options);
  } catch (error) {
    if (!/already in use/.test((error as Error).message)) throw error;
    options.onNews?.(`a port was taken while the stack started; starting it again on other ports`);
    return startStackProcessOnce(options);
  }
}

async function startStackProcessOnce(options: StackProcessOptions): Promise<StackProcess> {
  const cognitoPort = options.dataDir ? await stableCognitoPort(options.dataDir) : undefined;
  const child = fork(join(__dirname, "stack-child.ts"), [], {
    execArgv: [
      "--import",
      "tsx",
      ...(process.env.PERF_STACK_PROFILE ? ["--cpu-prof", `--cpu-prof-dir=${process.env.PERF_STACK_PROFILE}`] : []),
    ],
    env: {
      ...process.env,
      PERF_STACK_DATA_DIR: options.dataDir ?? "",
      PERF_STACK_COGNITO_PORT: cognitoPort ? String(cognitoPort) : "",
      PERF_STACK_DYNAMO_ON_DISK: options.dynamoOnDisk ? "1" : "",
      PURCHASE_CONCURRENCY: options.purchaseConcurrency ? String(options.purchaseConcurrency) : "",
      PERF_STACK_METER: options.meter ? "1" : "",
      PERF_STACK_ENGINE_CPUS: options.engineCpus ?? "",
    },
    stdio: ["ignore", "ignore", "pipe", "ipc"],
  });
  let stderr = "";
  let bugsReported = 0;
  child.stderr?.on("data", (chunk: Buffer) => {
    const text = chunk.toString();
    stderr = (stderr + text).slice(-4_000);
    // A 500 is a bug: say why, as the stack logged it (the first few only).
    for (const line of text
      .split("\n")
      .filter((candidate) => /"level":"(error|ERROR)"|^(gateway|storefront server): /.test(candidate))) {
      if (bugsReported++ < 5) options.onNews?.(`stack error: ${line.slice(0, 2_000)}`);
    }
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.send("stop");
    const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
    await exited;
    clearTimeout(timer);
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`the local stack did not start within ${options.timeoutMs ?? 90_000} ms\n${stderr}`));
    }, options.timeoutMs ?? 90_000);
    child.on("message", (message: { ready?: StackEndpoints; failed?: string; news?: string }) => {
      if (message.news) options.onNews?.(message.news);
      else if (message.ready) {
        clearTimeout(timer);
        const meter = () =>
          new Promise<PartitionMeterReport | null>((resolveMeter) => {
            const listener = (reply: { meter?: PartitionMeterReport | null }) => {
              if (reply.meter === undefined) return;
              child.off("message", listener);
              resolveMeter(reply.meter);
            };
            child.on("message", listener);
            child.send("meter");
          });
        resolve({ ...message.ready, pid: child.pid ?? -1, stop, meter });
      } else if (message.failed) {
        clearTimeout(timer);
        reject(new Error(`the local stack failed to start: ${message.failed}\n${stderr}`));
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the local stack process exited (code ${code}) before it was ready\n${stderr}`));
    });
  });
}

/**
 * cognito-local puts its own host:port in each token's issuer, and the gateway checks the issuer. So a
 * kept stack keeps its cognito-local port (chosen once, saved next to its data) or cached tokens would
 * all be refused after a restart. A port since taken by something else gets replaced.
 */
async function stableCognitoPort(dataDir: string): Promise<number> {
  const file = join(dataDir, "perf-cognito-port");
  const saved = existsSync(file) ? Number(readFileSync(file, "utf8")) : 0;
  if (saved > 0 && (await isFree(saved))) return saved;
  const port = await freePort();
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, String(port));
  return port;
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}
