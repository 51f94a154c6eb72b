import { randomUUID } from "node:crypto";
import { PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { auditTable } from "../src/audit/scan";
import { limitKey, orderKey, shardKey } from "@flash-sale/services/store";
import { aProduct, createProduct, freshTable } from "./support/table";

/** A table where the real engine sold some units to a few shoppers: the clean starting point. */
async function soldTable() {
  const table = await freshTable();
  const product = aProduct({ units: 6, perCustomerLimit: 2, shardCount: 2 });
  await createProduct(table.doc, table.tableName, product);
  const shoppers = ["alice", "bob"];
  const orders: Array<{ shopper: string; orderId: string }> = [];
  for (const shopper of shoppers) {
    const result = await table.shop.purchase({ shopper, sku: product.sku, quantity: 1, idempotencyKey: randomUUID() });
    if (!result.ok) throw new Error(`setup purchase failed: ${result.code}`);
    orders.push({ shopper, orderId: result.order.orderId });
  }
  return { ...table, product, orders };
}

function orderItem(shopper: string, orderId: string, sku: string, quantity = 1) {
  return {
    ...orderKey(shopper, orderId),
    type: "ORDER",
    shopper,
    orderId,
    sku,
    quantity,
    priceCents: 5_000,
    totalCents: 5_000 * quantity,
    currency: "EUR",
    createdAt: new Date().toISOString(),
    status: "CONFIRMED",
  };
}

describe("audit straight from the table", () => {
  it("passes a table the purchase engine wrote", async () => {
    const { doc, tableName, product } = await soldTable();

    const report = await auditTable(doc, tableName);

    expect(report.violations).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.products).toEqual([
      expect.objectContaining({
        sku: product.sku,
        loadedUnits: 6,
        availableUnits: 4,
        unitsSold: 2,
        orderedUnits: 2,
        orders: 2,
        shoppers: 2,
      }),
    ]);
  });

  it("catches a planted oversell: an order (and its limit count) written without taking stock", async () => {
    const { doc, tableName, product } = await soldTable();
    const orderId = randomUUID();
    await doc.send(new PutCommand({ TableName: tableName, Item: orderItem("carol", orderId, product.sku) }));
    await doc.send(new PutCommand({ TableName: tableName, Item: { ...limitKey("carol", product.sku), units: 1 } }));

    const report = await auditTable(doc, tableName);

    expect(report.ok).toBe(false);
    expect(report.violations).toEqual([
      expect.objectContaining({
        invariant: "orders-match-stock",
        sku: product.sku,
        message: expect.stringContaining("OVERSOLD"),
      }),
    ]);
  });

  it("catches a planted double charge: one intent confirmed twice, stock and limit taken twice", async () => {
    const { doc, tableName, product, orders } = await soldTable();
    const { shopper, orderId } = orders[0]!;
    // A second order carrying the same idempotency key, consistently booked everywhere else.
    await doc.send(
      new PutCommand({
        TableName: tableName,
        Item: { ...orderItem(shopper, orderId, product.sku), sk: `ORDER#${orderId}`, pk: `SHOPPER#${shopper}-twin` },
      }),
    );
    await doc.send(
      new PutCommand({ TableName: tableName, Item: { ...limitKey(`${shopper}-twin`, product.sku), units: 1 } }),
    );
    await doc.send(
      new UpdateCommand({
        TableName: tableName,
        Key: shardKey(product.sku, 0),
        UpdateExpression: "SET #u = #u - :one",
        ExpressionAttributeNames: { "#u": "units" },
        ExpressionAttributeValues: { ":one": 1 },
      }),
    );

    const report = await auditTable(doc, tableName);

    expect(report.ok).toBe(false);
    expect(report.violations.map((v) => v.invariant)).toEqual(["idempotency-key-reused"]);
    expect(report.violations[0]!.message).toContain(orderId);
  });

  it("catches a double charge inside one shopper: a second order the limit counter never saw", async () => {
    const { doc, tableName, product, orders } = await soldTable();
    const { shopper } = orders[0]!;
    await doc.send(new PutCommand({ TableName: tableName, Item: orderItem(shopper, randomUUID(), product.sku) }));
    await doc.send(
      new UpdateCommand({
        TableName: tableName,
        Key: shardKey(product.sku, 1),
        UpdateExpression: "SET #u = #u - :one",
        ExpressionAttributeNames: { "#u": "units" },
        ExpressionAttributeValues: { ":one": 1 },
      }),
    );

    const report = await auditTable(doc, tableName);

    expect(report.violations).toEqual([
      expect.objectContaining({
        invariant: "limit-mismatch",
        shopper,
        message: expect.stringContaining("limit counter says 1"),
      }),
    ]);
  });

  it("catches a shopper over the per-customer limit and a negative shard", async () => {
    const { doc, tableName, product, orders } = await soldTable();
    const { shopper } = orders[0]!;
    await doc.send(new PutCommand({ TableName: tableName, Item: orderItem(shopper, randomUUID(), product.sku, 2) }));
    await doc.send(new PutCommand({ TableName: tableName, Item: { ...limitKey(shopper, product.sku), units: 3 } }));
    // Take the 2 units from a shard that holds 2, then 2 more from one that holds 2: the second goes to -1... keep totals consistent.
    await doc.send(
      new PutCommand({ TableName: tableName, Item: { ...shardKey(product.sku, 0), type: "STOCK", units: -1 } }),
    );
    await doc.send(
      new PutCommand({ TableName: tableName, Item: { ...shardKey(product.sku, 1), type: "STOCK", units: 3 } }),
    );

    const report = await auditTable(doc, tableName);

    expect(report.violations.map((v) => v.invariant).sort()).toEqual(["over-limit", "shard-negative"]);
  });
});
