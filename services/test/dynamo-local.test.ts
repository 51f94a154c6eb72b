import { ListTablesCommand } from "@aws-sdk/client-dynamodb";
import { createTestTable } from "./support/table";

test("each test file gets its own table on a real DynamoDB Local", async () => {
  const table = await createTestTable();
  const { TableNames } = await table.raw.send(new ListTablesCommand({}));
  expect(TableNames).toContain(table.tableName);
  await table.drop();
});
