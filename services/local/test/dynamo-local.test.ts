import { ListTablesCommand } from "@aws-sdk/client-dynamodb";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startDynamoLocal } from "../src/dynamo-local";
import { createTestTable } from "@flash-sale/services/testing";

test("each test file gets its own table on a real DynamoDB Local", async () => {
  const table = await createTestTable();
  const { TableNames } = await table.raw.send(new ListTablesCommand({}));
  expect(TableNames).toContain(table.tableName);
  await table.drop();
});

test("a jar folder without DynamoDB Local in it is refused by name, before anything starts", async () => {
  const empty = mkdtempSync(join(tmpdir(), "no-jar-"));
  try {
    await expect(startDynamoLocal({ jarDir: empty })).rejects.toThrow(`'${empty}', which has no DynamoDBLocal.jar`);
  } finally {
    rmSync(empty, { recursive: true });
  }
});
