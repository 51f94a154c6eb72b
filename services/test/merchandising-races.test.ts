import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { admissionClock, admittedPlaces } from "../src/domain/admission";
import { createDocumentClient } from "../src/store/client";
import { toProduct } from "../src/store/items";
import { addUnits, getProductItem, loadProduct as loadCatalogProduct } from "../src/store/merchandising";
import { auditItems, narrowToSku } from "../src/store/reconcile";
import { reshard } from "../src/store/reshard";
import {
  aCheckoutContainer,
  aContainer,
  aProduct,
  loadProduct,
  newKey,
  RecordingProvider,
  scanAll,
  stockOf,
  type TestTable,
} from "./support/shop";
import { createTestTable, TEST_REGION } from "./support/table";

/**
 * Issue 25, item 2: merchandiser commands against each other and against shoppers at the same moment.
 * Each race is forced, not hoped for: one side's transaction is held at the client until the other side
 * has committed, the interleaving that strands units when a write trusts what it read.
 */

let table: TestTable;
beforeAll(async () => {
  table = await createTestTable();
});
afterAll(async () => {
  await table.drop();
});

/** No unit outside the live shards, loaded = sold + held + available: the reconciliation audit, per product. */
async function violationsOf(sku: string) {
  const items = await scanAll(table);
  return narrowToSku(auditItems(items), sku, items).violations.map((violation) => violation.message);
}

/**
 * A client to the same engine whose first transaction waits until `release` is called; `held` resolves
 * when that transaction has been sent (so the other side can act in between read and write).
 */
function clientHoldingFirstTransaction(): { doc: DynamoDBDocumentClient; held: Promise<void>; release: () => void } {
  const doc = createDocumentClient({ region: TEST_REGION, endpoint: table.endpoint });
  let release = () => {};
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  let arrived = () => {};
  const held = new Promise<void>((resolve) => {
    arrived = resolve;
  });
  let first = true;
  doc.middlewareStack.add(
    (next) => async (args) => {
      if (first && "TransactItems" in (args.input as object)) {
        first = false;
        arrived();
        await gate;
      }
      return next(args);
    },
    { step: "initialize", name: "holdFirstTransaction" },
  );
  return { doc, held, release };
}

test("an add whose write lands after a reshard 8 -> 4 puts its units in the live shards, none beyond", async () => {
  // prepare: 80 units over 8 shards; the add has read the product (8 shards) and its write is held
  const product = await loadProduct(table, aProduct({ units: 80, shardCount: 8 }));
  const adder = clientHoldingFirstTransaction();
  const adding = addUnits(adder.doc, table.tableName, product.sku, 8);
  await adder.held;

  // act: the reshard commits, then the add's write goes
  await reshard(table.doc, table.tableName, product.sku, 4);
  adder.release();
  await adding;

  // assess: 88 loaded, 88 in the 4 live shards
  const after = await stockOf(table, product.sku);
  expect({ loaded: after.loadedUnits, available: after.available, shards: after.shards.length }).toEqual({
    loaded: 88,
    available: 88,
    shards: 4,
  });
  expect(await violationsOf(product.sku)).toEqual([]);
  adder.doc.destroy();
});

test("a load topping up to 40 units whose write lands after an add of 5 ends at 40 loaded, with its new price", async () => {
  // prepare: 24 units over 12 shards; the load has read 24 loaded and its write is held
  const product = await loadProduct(table, aProduct({ units: 24, shardCount: 12, priceCents: 1_000 }));
  const loader = clientHoldingFirstTransaction();
  const loading = loadCatalogProduct(loader.doc, table.tableName, { ...product, priceCents: 1_500, units: 40 });
  await loader.held;

  // act
  await addUnits(table.doc, table.tableName, product.sku, 5);
  loader.release();
  await loading;

  // assess: `units` in the file is the total loaded, whatever was added meanwhile; the price with it
  const after = await stockOf(table, product.sku);
  expect({ price: after.product?.priceCents, loaded: after.loadedUnits, available: after.available }).toEqual({
    price: 1_500,
    loaded: 40,
    available: 40,
  });
  expect(await violationsOf(product.sku)).toEqual([]);
  loader.doc.destroy();
});

test("a hold cancelled after a reshard 8 -> 4 its container has not seen gives its units to a live shard", async () => {
  // prepare: a held unit from one of 8 shards; the container's snapshot (8 shards) stays fresh for a minute
  const product = await loadProduct(
    table,
    aProduct({ units: 8, shardCount: 8, checkout: "payment", perCustomerLimit: 1 }),
  );
  const container = aCheckoutContainer(table, new RecordingProvider(), { snapshotTtlMs: 60_000 });
  const bought = await container.purchase({
    shopper: "holder",
    sku: product.sku,
    quantity: 1,
    idempotencyKey: newKey(),
  });
  if (!bought.ok) throw new Error(`purchase refused: ${bought.code}`);
  await reshard(table.doc, table.tableName, product.sku, 4);

  // act
  await container.cancelOrder("holder", bought.order.orderId);

  // assess
  const after = await stockOf(table, product.sku);
  expect({ available: after.available, shards: after.shards.length }).toEqual({ available: 8, shards: 4 });
  expect(await violationsOf(product.sku)).toEqual([]);
});

test("a reshard 12 -> 4 in steps while shoppers buy keeps every unit accounted for, all in the live shards", async () => {
  // prepare: 60 units over 12 shards (past one transaction of the bundled engine), 40 shoppers buying 1 each
  const product = await loadProduct(table, aProduct({ units: 60, shardCount: 12, perCustomerLimit: 1 }));
  const container = aContainer(table);
  await container.listProducts();

  // act
  const [results] = await Promise.all([
    Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        container.purchase({ shopper: `buyer-${i}`, sku: product.sku, quantity: 1, idempotencyKey: newKey() }),
      ),
    ),
    reshard(table.doc, table.tableName, product.sku, 4),
  ]);

  // assess: each confirmed purchase took one unit (nobody was refused: units remained); the rest are in the 4 live shards
  const confirmed = results.filter((result) => result.ok).length;
  expect(results.filter((result) => !result.ok && result.code !== "TRY_AGAIN")).toEqual([]);
  const after = await stockOf(table, product.sku);
  expect({ shards: after.shards.length, available: after.available }).toEqual({ shards: 4, available: 60 - confirmed });
  expect(await violationsOf(product.sku)).toEqual([]);
});

test("a reshard 4 -> 8 during an open sale with a waiting room at the default rate keeps the places already admitted", async () => {
  // prepare: a waiting room at the default rate (4 shards x 250/s), open for 10 s: 10,000 places admitted
  const product = await loadProduct(
    table,
    aProduct({ shardCount: 4, waitingRoom: true, saleStartsAt: new Date(Date.now() - 10_000).toISOString() }),
  );
  const placesAt = async (now: number) =>
    admittedPlaces(admissionClock(toProduct((await getProductItem(table.doc, table.tableName, product.sku))!)), now);

  // act
  const before = Date.now();
  await reshard(table.doc, table.tableName, product.sku, 8);
  const after = Date.now();

  // assess: the line goes on from where it was (at most the places of the reshard's own milliseconds apart),
  // rather than jumping to the 20,000 places the doubled rate would give since the opening
  const admittedThen = (1_000 * (after - Date.parse(product.saleStartsAt))) / 1_000;
  expect(Math.abs((await placesAt(after)) - admittedThen)).toBeLessThanOrEqual(after - before + 1);
});
