import {
  CreateTableCommand,
  DescribeTableCommand,
  UpdateTableCommand,
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

/**
 * Turns on the table's stream (new and old images: the order events compare them) unless it is on, and
 * returns its ARN. For DynamoDB Local and tests; in AWS the Pulumi program declares the stream.
 */
export async function ensureStream(client: DynamoDBClient, tableName: string): Promise<string> {
  const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
  if (Table?.StreamSpecification?.StreamEnabled && Table.LatestStreamArn) return Table.LatestStreamArn;
  const { TableDescription } = await client.send(
    new UpdateTableCommand({
      TableName: tableName,
      StreamSpecification: { StreamEnabled: true, StreamViewType: "NEW_AND_OLD_IMAGES" },
    }),
  );
  const arn = TableDescription?.LatestStreamArn;
  if (!arn) throw new Error(`the stream of table ${tableName} has no ARN after enabling it`);
  return arn;
}
