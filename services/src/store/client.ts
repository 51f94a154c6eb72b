import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";

export interface DynamoSettings {
  tableName: string;
  region: string;
  /** Set for DynamoDB Local; absent in AWS. */
  endpoint?: string;
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

/**
 * One document client per container (module scope in handlers). Locally it talks to DynamoDB Local
 * with dummy credentials; in AWS it uses the function's role.
 */
export function createDocumentClient(settings: Pick<DynamoSettings, "region" | "endpoint">): DynamoDBDocumentClient {
  const client = new DynamoDBClient({
    region: settings.region,
    ...(settings.endpoint
      ? { endpoint: settings.endpoint, credentials: { accessKeyId: "local", secretAccessKey: "local" } }
      : {}),
  });
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}
