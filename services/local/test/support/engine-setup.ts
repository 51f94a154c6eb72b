import { startDynamoLocal, type DynamoLocal } from "../../src/dynamo-local";

/**
 * Jest global setup for every project whose tests need a table: one in-memory DynamoDB Local for the
 * whole run, whichever project's setup runs first (they run in one process, one after another); the
 * workers inherit DYNAMODB_ENDPOINT. The last project's teardown stops it.
 */
export interface SharedEngine {
  engine: DynamoLocal;
  users: number;
}
const KEY = Symbol.for("flash-sale.test-engine");
export const sharedEngine = globalThis as { [KEY]?: SharedEngine };

export default async function startTestEngine(): Promise<void> {
  const shared = sharedEngine[KEY];
  if (shared) {
    shared.users += 1;
    return;
  }
  const engine = await startDynamoLocal();
  process.env.DYNAMODB_ENDPOINT = engine.endpoint;
  sharedEngine[KEY] = { engine, users: 1 };
}

export async function stopTestEngine(): Promise<void> {
  const shared = sharedEngine[KEY];
  if (!shared) return;
  shared.users -= 1;
  if (shared.users > 0) return;
  delete sharedEngine[KEY];
  await shared.engine.stop();
}
