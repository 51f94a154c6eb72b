import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { type AuditReport, auditItems, type PaymentRecord, scanTable } from "@flash-sale/services/store";

/** The invariants checked on every item of the table, read consistently (see reconcile.ts in @flash-sale/services/store). */
export async function auditTable(
  doc: DynamoDBDocumentClient,
  tableName: string,
  payments?: PaymentRecord[],
): Promise<AuditReport> {
  return auditItems(await scanTable(doc, tableName), payments);
}
