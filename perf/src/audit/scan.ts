import { ScanCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { auditItems, type AuditReport } from "./rules";

/** Every item of the table, read with strongly consistent Scans (the audit trusts nothing cached). */
export async function scanTable(doc: DynamoDBDocumentClient, tableName: string): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(new ScanCommand({ TableName: tableName, ConsistentRead: true, ExclusiveStartKey: startKey }));
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}

export async function auditTable(doc: DynamoDBDocumentClient, tableName: string): Promise<AuditReport> {
  return auditItems(await scanTable(doc, tableName));
}
