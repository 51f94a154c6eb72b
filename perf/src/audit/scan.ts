import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { scanTable } from "@flash-sale/services/store";
import { auditItems, type AuditReport } from "./rules";

/** The invariants checked on every item of the table, read consistently (see rules.ts). */
export async function auditTable(doc: DynamoDBDocumentClient, tableName: string): Promise<AuditReport> {
  return auditItems(await scanTable(doc, tableName));
}
