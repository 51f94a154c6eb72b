import { join } from "node:path";
import { UsageError } from "@flash-sale/services/cli";
import { PAYMENT_ENV } from "@flash-sale/services/routes";
import type { CpuPlacement } from "@flash-sale/local/cpu-affinity";
import { startStackProcess, type StackProcess } from "../local/stack-process";
import { cacheDir } from "../scenario/shoppers";
import { cpuPlacement } from "./cpu-placement";
import type { RunOptions } from "./options";

/** What a run sends its load to: a deployed API, or the local stack started (and stopped) here. */
export interface Target {
  kind: "local" | "deployed";
  /** Local: where DynamoDB Local and the rest run (undefined: all share every CPU). */
  cpus?: CpuPlacement;
  apiUrl: string;
  region: string;
  userPoolId: string;
  clientId: string;
  cognitoEndpoint?: string;
  tableName: string;
  dynamoEndpoint?: string;
  /** The payment provider's API the audit lists payments from (Stripe's shape); undefined: not compared. */
  payments?: { url?: string; secretKey: string };
  stop(): Promise<void>;
}

export async function openTarget(options: RunOptions, log: (line: string) => void): Promise<Target> {
  if (options.api) {
    const missing = (["user-pool-id", "client-id", "table"] as const).filter((name) => !options[name]);
    if (missing.length) throw new UsageError(`with --api, also give ${missing.map((m) => `--${m}`).join(", ")}`);
    return {
      kind: "deployed",
      apiUrl: options.api,
      region: options.region,
      userPoolId: options["user-pool-id"]!,
      clientId: options["client-id"]!,
      tableName: options.table!,
      ...deployedPayments(),
      stop: async () => undefined,
    };
  }
  const { placement, restore } = cpuPlacement(options["engine-cpu"], log);
  log(`starting the local stack${options.fresh ? " (fresh)" : " (data kept in perf/.cache/local-stack)"}...`);
  const stack: StackProcess = await startStackProcess({
    ...(placement ? { engineCpus: placement.engine } : {}),
    ...(options.fresh ? {} : { dataDir: join(cacheDir(), "local-stack") }),
    dynamoOnDisk: options.disk,
    ...(options["purchase-concurrency"] > 0 ? { purchaseConcurrency: options["purchase-concurrency"] } : {}),
    onNews: log,
  }).catch((error: unknown) => {
    restore();
    throw error;
  });
  log(
    `local stack up: API ${stack.apiUrl}, DynamoDB Local ${stack.dynamoEndpoint} (${options.disk ? "on disk" : "in memory"}), cognito-local ${stack.cognitoEndpoint}`,
  );
  return {
    kind: "local",
    ...(placement ? { cpus: placement } : {}),
    apiUrl: stack.apiUrl,
    region: stack.region,
    userPoolId: stack.userPoolId,
    clientId: stack.userPoolClientId,
    cognitoEndpoint: stack.cognitoEndpoint,
    tableName: stack.tableName,
    dynamoEndpoint: stack.dynamoEndpoint,
    payments: stack.payments,
    stop: async () => {
      await stack.stop();
      restore();
    },
  };
}

/** A deployed stack's payments are compared when its Stripe key is in the environment (as for `stock reconcile`). */
function deployedPayments(): Pick<Target, "payments"> {
  const secretKey = process.env[PAYMENT_ENV.secretKey];
  const url = process.env[PAYMENT_ENV.apiUrl];
  return secretKey ? { payments: { secretKey, ...(url ? { url } : {}) } } : {};
}
