import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";

/** Where `npm start` keeps its data (git-ignored), relative to the repository root. */
export const LOCAL_DATA_DIR = resolve(__dirname, "../../../.local");
const RUNNING_FILE = join(LOCAL_DATA_DIR, "running.json");

/** What a running `npm start` tells other commands on this machine (the CLI, perf, a second start). */
export interface RunningStack {
  pid: number;
  webUrl: string;
  apiUrl: string;
  dynamoEndpoint: string;
  cognitoEndpoint: string;
  userPoolId: string;
  userPoolClientId: string;
  tableName: string;
  region: string;
  /** The payment stand-in and its secret key (what `stock refund` calls). */
  payments: { url: string; secretKey: string };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The stack `npm start` is running now, if any (a file left by a crashed run is ignored). */
export function runningStack(): RunningStack | undefined {
  if (!existsSync(RUNNING_FILE)) return undefined;
  try {
    const running = JSON.parse(readFileSync(RUNNING_FILE, "utf8")) as RunningStack;
    return isAlive(running.pid) ? running : undefined;
  } catch {
    return undefined;
  }
}

export function announceRunning(running: RunningStack): void {
  writeFileSync(RUNNING_FILE, JSON.stringify(running, null, 2));
}

export function clearRunning(): void {
  rmSync(RUNNING_FILE, { force: true });
}
