import { startDynamoLocal } from "../../src/local/dynamo-local";

/** Starts one in-memory DynamoDB Local for the whole run; test workers inherit its endpoint. */
export default async function globalSetup(): Promise<void> {
  const dynamo = await startDynamoLocal();
  process.env.DYNAMODB_ENDPOINT = dynamo.endpoint;
  (globalThis as { __dynamoLocal?: typeof dynamo }).__dynamoLocal = dynamo;
}
