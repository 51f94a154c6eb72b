import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { scanTable } from "@flash-sale/services/store";
import { auditItems, type AuditReport, type PaymentRecord } from "./rules";

/** The invariants checked on every item of the table, read consistently (see rules.ts). */
export async function auditTable(
  doc: DynamoDBDocumentClient,
  tableName: string,
  payments?: PaymentRecord[],
): Promise<AuditReport> {
  return auditItems(await scanTable(doc, tableName), payments);
}
