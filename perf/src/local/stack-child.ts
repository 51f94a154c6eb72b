/**
 * Runs the local stack (services/local/src/stack.ts) in its own process for `perf run`, so the gateway's
 * work never shares the generator's event loop or CPU accounting: the generator's self-check then
 * measures the generator alone. Reports the stack's endpoints over IPC, stops on "stop" or disconnect.
 */
import { functionLimitsFromEnv } from "@flash-sale/local/function-limits";
import { startLocalStack } from "@flash-sale/local/stack";
import { meterPartitions, type PartitionMeterReport } from "./partition-meter";

async function main(): Promise<void> {
  const dataDir = process.env.PERF_STACK_DATA_DIR || undefined;
  const cognitoPort = Number(process.env.PERF_STACK_COGNITO_PORT) || undefined;
  let report: (() => PartitionMeterReport) | undefined;
  const meter =
    process.env.PERF_STACK_METER === "1"
      ? {
          instrumentEngine: (doc: Parameters<typeof meterPartitions>[0]) => {
            report = meterPartitions(doc);
          },
        }
      : {};
  const stack = await startLocalStack({
    ...(dataDir ? { dataDir } : {}),
    ...(cognitoPort ? { cognitoPort } : {}),
    ...meter,
    quiet: true,
    dynamoInMemory: process.env.PERF_STACK_DYNAMO_ON_DISK !== "1",
    warm: true,
    // The gateway answers and sheds first; the engine takes the CPU left over (see README: under overload).
    dynamoNice: 10,
    ...(process.env.PERF_STACK_ENGINE_CPUS ? { dynamoCpus: process.env.PERF_STACK_ENGINE_CPUS } : {}),
    functionLimits: functionLimitsFromEnv(),
    say: (line) => process.send?.({ news: line }),
  });
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await stack.stop();
    process.exit(0);
  };
  process.on("message", (message) => {
    if (message === "stop") void stop();
    if (message === "meter") process.send?.({ meter: report?.() ?? null });
  });
  process.on("disconnect", () => void stop());
  process.on("SIGTERM", () => void stop());
  process.send?.({
    ready: {
      apiUrl: stack.apiUrl,
      region: stack.region,
      userPoolId: stack.userPoolId,
      userPoolClientId: stack.userPoolClientId,
      cognitoEndpoint: stack.cognitoEndpoint,
      tableName: stack.tableName,
      dynamoEndpoint: stack.dynamoEndpoint,
      payments: stack.payments,
    },
  });
}

main().catch((error: unknown) => {
  process.send?.({ failed: error instanceof Error ? error.message : String(error) });
  process.exit(1);
});
