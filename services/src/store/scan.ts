import { ScanCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";

/** Every item of the table, read with strongly consistent Scans: for audits, which trust nothing cached. */
export async function scanTable(
  doc: DynamoDBDocumentClient,
  tableName: string,
  onPage?: (read: number) => void,
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(
      new ScanCommand({ TableName: tableName, ConsistentRead: true, ExclusiveStartKey: startKey }),
    );
    items.push(...(page.Items ?? []));
    onPage?.(items.length);
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}
