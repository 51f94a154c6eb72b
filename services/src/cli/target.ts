import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { runningStack } from "./running-stack";
import { createDocumentClient } from "../store/client";
import type { OptionSpecs } from "./kit";

export const TARGET_HELP = `
Target (default: the local stack started by \`npm start\`):
  --table <name>      a deployed stack's table (Pulumi output tableName)
  --region <region>   its AWS region (default: AWS_REGION), credentials from the usual AWS chain
  --endpoint <url>    a DynamoDB endpoint, e.g. a DynamoDB Local you run yourself`;

/** The target options every `npm run stock` command takes (see TARGET_HELP). */
export const TARGET_OPTIONS = {
  table: { type: "string", help: "a deployed stack's table" },
  region: { type: "string", help: "its AWS region" },
  endpoint: { type: "string", help: "a DynamoDB endpoint" },
} satisfies OptionSpecs;

export interface Target {
  doc: DynamoDBDocumentClient;
  tableName: string;
  describe: string;
}

/** The table the command works on: the one named on the command line, else the running local stack's. */
export function connect(options: {
  table?: string | undefined;
  region?: string | undefined;
  endpoint?: string | undefined;
}): Target {
  if (options.table) {
    const region = options.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
    if (!region) throw new Error("--table needs --region (or AWS_REGION)");
    const settings = { tableName: options.table, region, ...(options.endpoint ? { endpoint: options.endpoint } : {}) };
    return {
      doc: createDocumentClient(settings),
      tableName: options.table,
      describe: `${options.table} (${options.endpoint ?? region})`,
    };
  }
  const running = runningStack();
  if (!running)
    throw new Error(
      "the local stack is not running: start it with `npm start` in another terminal, or pass --table and --region for a deployed table",
    );
  return {
    doc: createDocumentClient({ region: running.region, endpoint: running.dynamoEndpoint }),
    tableName: running.tableName,
    describe: `${running.tableName} (local, ${running.dynamoEndpoint})`,
  };
}
