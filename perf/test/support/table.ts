import { randomUUID } from "node:crypto";
import { createShop } from "@flash-sale/services/app";
import { createDocumentClient } from "@flash-sale/services/store";
import { createProduct, type NewProduct } from "@flash-sale/services/store";
import { ensureTable } from "@flash-sale/services/store";

export const REGION = "us-east-1";

export function dynamoEndpoint(): string {
  const endpoint = process.env.DYNAMODB_ENDPOINT;
  if (!endpoint)
    throw new Error("DYNAMODB_ENDPOINT is not set: run these tests through jest (global setup starts DynamoDB Local)");
  return endpoint;
}

/** A fresh table on the shared DynamoDB Local, with a document client and a shop over it. */
export async function freshTable() {
  const endpoint = dynamoEndpoint();
  const tableName = `perf-test-${randomUUID().slice(0, 8)}`;
  const doc = createDocumentClient({ region: REGION, endpoint });
  await ensureTable(doc, tableName);
  const shop = createShop({ tableName, region: REGION, endpoint });
  return { endpoint, tableName, doc, shop };
}

export function aProduct(overrides: Partial<NewProduct> = {}): NewProduct {
  const hour = 3_600_000;
  return {
    sku: `sku-${randomUUID().slice(0, 8)}`,
    name: "Audit sneaker",
    description: "for the audit tests",
    imageUrl: "https://example.com/s.png",
    priceCents: 5_000,
    currency: "EUR",
    saleStartsAt: new Date(Date.now() - hour).toISOString(),
    saleEndsAt: new Date(Date.now() + hour).toISOString(),
    perCustomerLimit: 2,
    shardCount: 2,
    units: 6,
    ...overrides,
  };
}

export { createProduct };
