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
  /** The file the stack rewrites every second with its purchase meter (what `stock watch` shows). */
  meterFile?: string;
}

/**
 * The local gateway's count of purchase outcomes since the stack started: refusals by code (SOLD_OUT, …) and
 * errors (503 TRY_AGAIN, and 500s on any route). Not in the table, since a refused purchase writes nothing; in
 * AWS the same outcomes are the CloudWatch metrics PurchasesRefused and PurchasesTryAgain.
 */
export interface PurchaseMeter {
  since: string;
  refusals: Record<string, number>;
  errors: number;
}

/** The meter a running stack last wrote, or undefined when there is none to read. */
export function readPurchaseMeter(file: string): PurchaseMeter | undefined {
  try {
    return JSON.parse(readFileSync(file, "utf8")) as PurchaseMeter;
  } catch {
    return undefined;
  }
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
