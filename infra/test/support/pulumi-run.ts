/**
 * The program under mocks in a process of its own, run the way Pulumi's runner runs it: an error the program
 * throws from an Output (an unhandled rejection) fails the run, exit code 1 with the message on stderr, before the
 * stack's outputs are recorded. Jest reports such a rejection as a failure of the test itself, so tests of a
 * refused update start this with `failedUpdate` (below) instead of `runProgram`.
 *
 * argv[2]: JSON {config, stack, world}. On success prints JSON {exports, types} (types: every registered type).
 */
import * as pulumi from "@pulumi/pulumi";
import { execFile } from "node:child_process";
import * as path from "node:path";
import { RecordingMocks, type World } from "./mocks";
import { MISSING_WEB_DIR } from "./program";

interface Request {
  config: Record<string, string>;
  stack: string;
  world: World;
}

async function main(request: Request): Promise<void> {
  const failures: string[] = [];
  process.on("unhandledRejection", (reason) => {
    failures.push(reason instanceof Error ? reason.message : String(reason));
    process.stderr.write(`error: ${failures.at(-1)}\n`);
    process.exit(1);
  });
  const mocks = new RecordingMocks(request.world);
  await pulumi.runtime.setMocks(mocks, "flash-sale", request.stack, false, "organization");
  pulumi.runtime.setAllConfig({ "flash-sale:webDir": MISSING_WEB_DIR, ...request.config });
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded after the mocks
  const program = require("../..") as Record<string, unknown>;
  const exports: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(program))
    exports[key] = pulumi.Output.isInstance(value)
      ? await (value as unknown as { promise(): Promise<unknown> }).promise()
      : value;
  await pulumi.runtime.disconnect();
  process.stdout.write(JSON.stringify({ exports, types: mocks.resources.map((resource) => resource.type) }));
}

/** Runs the program in a child process; resolves with its exit code, stdout and stderr. */
export function runInProcess(
  config: Record<string, string>,
  stack: string,
  world: World,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const tsx = path.resolve(__dirname, "..", "..", "..", "node_modules", ".bin", "tsx");
  return new Promise((resolve) => {
    execFile(
      tsx,
      [__filename, JSON.stringify({ config, stack, world })],
      { maxBuffer: 64 * 1024 * 1024, timeout: 120_000 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

if (require.main === module) void main(JSON.parse(process.argv[2]!) as Request);
