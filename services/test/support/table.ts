import { randomUUID } from "node:crypto";
import { DeleteTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { createDocumentClient } from "../../src/store/client";
import { ensureTable } from "../../src/store/table";

export const TEST_REGION = "us-east-1";

/** Gives the calling test file a fresh table of its own on the run's DynamoDB Local. */
export async function createTestTable() {
  const endpoint = process.env.DYNAMODB_ENDPOINT;
  if (!endpoint)
    throw new Error("DYNAMODB_ENDPOINT is not set: run these tests through jest (global setup starts DynamoDB Local)");
  const tableName = `test-${randomUUID()}`;
  const raw = new DynamoDBClient({
    region: TEST_REGION,
    endpoint,
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  await ensureTable(raw, tableName);
  const doc = createDocumentClient({ region: TEST_REGION, endpoint });
  return {
    tableName,
    endpoint,
    doc,
    raw,
    drop: async () => {
      await raw.send(new DeleteTableCommand({ TableName: tableName }));
      raw.destroy();
      doc.destroy();
    },
  };
}
