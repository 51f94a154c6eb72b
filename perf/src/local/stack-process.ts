import { fork } from "node:child_process";
import { join } from "node:path";

export interface StackEndpoints {
  apiUrl: string;
  region: string;
  userPoolId: string;
  userPoolClientId: string;
  cognitoEndpoint: string;
  tableName: string;
  dynamoEndpoint: string;
}

export interface StackProcess extends StackEndpoints {
  pid: number;
  stop(): Promise<void>;
}

/**
 * Starts the local stack in a child process (see stack-child.ts for why) and waits for its endpoints.
 * `dataDir` keeps DynamoDB and the user pool between runs, so shoppers and their tokens are reused.
 */
export function startStackProcess(options: { dataDir?: string; timeoutMs?: number } = {}): Promise<StackProcess> {
  const child = fork(join(__dirname, "stack-child.ts"), [], {
    execArgv: ["--import", "tsx"],
    env: { ...process.env, PERF_STACK_DATA_DIR: options.dataDir ?? "" },
    stdio: ["ignore", "ignore", "pipe", "ipc"],
  });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => { stderr = (stderr + chunk.toString()).slice(-4_000); });
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
    child.on("message", (message: { ready?: StackEndpoints; failed?: string }) => {
      if (message.ready) {
        clearTimeout(timer);
        resolve({ ...message.ready, pid: child.pid ?? -1, stop });
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
