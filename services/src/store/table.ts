import {
  CreateTableCommand,
  DescribeTableCommand,
  ResourceInUseException,
  type DynamoDBClient,
} from "@aws-sdk/client-dynamodb";
import { TABLE_KEY } from "./keys";

/**
 * Creates the platform's table (on-demand, pk/sk strings) unless it exists. Used locally and by tests.
 * A document client works too: it sends table commands through unchanged.
 */
export async function ensureTable(client: DynamoDBClient, tableName: string): Promise<"created" | "exists"> {
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: "PAY_PER_REQUEST",
        AttributeDefinitions: [
          { AttributeName: TABLE_KEY.partition, AttributeType: "S" },
          { AttributeName: TABLE_KEY.sort, AttributeType: "S" },
        ],
        KeySchema: [
          { AttributeName: TABLE_KEY.partition, KeyType: "HASH" },
          { AttributeName: TABLE_KEY.sort, KeyType: "RANGE" },
        ],
      }),
    );
  } catch (error) {
    if (error instanceof ResourceInUseException) return "exists";
    throw error;
  }
  // DynamoDB Local creates tables synchronously; AWS takes a moment.
  for (let i = 0; i < 60; i++) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (Table?.TableStatus === "ACTIVE") break;
    await new Promise((r) => setTimeout(r, 1_000));
  }
  return "created";
}
