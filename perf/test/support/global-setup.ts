import { startDynamoLocal } from "../../../services/src/local/dynamo-local";

/** One in-memory DynamoDB Local for the run (audit and proxy tests); workers inherit its endpoint. */
export default async function globalSetup(): Promise<void> {
  const dynamo = await startDynamoLocal();
  process.env.PERF_DYNAMODB_ENDPOINT = dynamo.endpoint;
  (globalThis as { __perfDynamo?: typeof dynamo }).__perfDynamo = dynamo;
}
