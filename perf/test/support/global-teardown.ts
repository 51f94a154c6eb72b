import type { DynamoLocal } from "../../../services/src/local/dynamo-local";

export default async function globalTeardown(): Promise<void> {
  await (globalThis as { __perfDynamo?: DynamoLocal }).__perfDynamo?.stop();
}
