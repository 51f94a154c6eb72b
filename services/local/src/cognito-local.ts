import { spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { codeDeliveryReader, type CodeDelivery } from "./code-delivery";
import { assertPortFree, freePort, waitForPort } from "./ports";

export interface CognitoLocal {
  endpoint: string;
  port: number;
  /** Where cognito-local keeps its pools and users (`<dataDir>/.cognito/db`). */
  dbDir: string;
  pid: number;
  /** Settles when the process ends, however it ends. */
  exited: Promise<unknown>;
  stop(): Promise<void>;
}

const START_SCRIPT = join(dirname(require.resolve("cognito-local/package.json")), "lib", "bin", "start.js");

/**
 * Starts cognito-local as a child process. It keeps its data under `<dataDir>/.cognito`, relative to
 * its working directory, so the data directory decides what persists across restarts.
 */
export async function startCognitoLocal(options: {
  dataDir: string;
  port?: number;
  onCodeDelivery?: (delivery: CodeDelivery) => void;
}): Promise<CognitoLocal> {
  const port = options.port ?? (await freePort());
  if (options.port !== undefined) await assertPortFree(port, "cognito-local", "COGNITO_PORT");
  const configDir = join(options.dataDir, ".cognito");
  mkdirSync(join(configDir, "db"), { recursive: true });
  // Email is the username, as in the deployed pool.
  writeFileSync(
    join(configDir, "config.json"),
    JSON.stringify({ UserPoolDefaults: { UsernameAttributes: ["email"] } }, null, 2),
  );
  const child = spawn(process.execPath, [START_SCRIPT], {
    cwd: options.dataDir,
    env: { ...process.env, PORT: String(port), HOST: "127.0.0.1", DEBUG: "" },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true, // see startDynamoLocal: Ctrl-C stops the stack, the stack stops its engines
  });
  // Always read stdout (a full pipe would stall the child); it carries the codes cognito-local "e-mails".
  child.stdout.on("data", codeDeliveryReader(options.onCodeDelivery ?? (() => undefined)));
  // Never outlive the process that started it, however that process ends (short of SIGKILL).
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);
  child.once("exit", () => process.removeListener("exit", killOnExit));
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4_000);
  });
  try {
    await waitForPort(port, 20_000, () => child.exitCode === null);
  } catch (error) {
    child.kill("SIGKILL");
    throw new Error(`cognito-local did not start on port ${port}: ${(error as Error).message}\n${stderr}`);
  }
  const exited = new Promise((resolve) =>
    child.exitCode !== null
      ? resolve({ code: child.exitCode })
      : child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    dbDir: join(configDir, "db"),
    pid: child.pid ?? -1,
    exited,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}
