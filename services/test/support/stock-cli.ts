import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { TestTable } from "./shop";

const CLI = resolve(__dirname, "../../src/cli/stock.ts");
const TSX = resolve(__dirname, "../../../node_modules/.bin/tsx");

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * The real merchandiser CLI against a test table, started as `npm run stock` starts it: in services/, with
 * INIT_CWD naming where the user typed the command (when given).
 */
export function runStockCli(
  table: Pick<TestTable, "tableName" | "endpoint">,
  args: string[],
  initCwd?: string,
  env: Record<string, string> = {},
  /** For a command that runs until stopped (`watch`): interrupted (SIGINT) once its output satisfies this. */
  stopWhen?: (stdout: string) => boolean,
): Promise<CliRun> {
  return new Promise((done) => {
    const child = spawn(
      TSX,
      [CLI, ...args, "--table", table.tableName, "--region", "us-east-1", "--endpoint", table.endpoint],
      {
        cwd: resolve(__dirname, "../.."),
        env: { ...process.env, ...env, ...(initCwd ? { INIT_CWD: initCwd } : {}) },
      },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stopWhen?.(stdout)) child.kill("SIGINT");
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on("close", (code) => done({ code: code ?? -1, stdout, stderr }));
  });
}

/** Writes a catalog file into `dir` and returns its path. */
export function writeCatalogFile(dir: string, name: string, products: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(products));
  return path;
}
