import { aContainer, aProduct, loadProduct, newKey, type TestTable } from "./support/shop";
import { createTestTable } from "./support/table";
import { meterCalls } from "./support/write-meter";

let table: TestTable;
let meter: ReturnType<typeof meterCalls>;
beforeAll(async () => {
  table = await createTestTable();
  meter = meterCalls(table.doc);
});
afterAll(async () => {
  await table.drop();
});
beforeEach(() => meter.reset());

const HOUR = 3_600_000;

test("a purchase before the sale opens is SALE_NOT_STARTED and writes nothing", async () => {
  const product = await loadProduct(
    table,
    aProduct({
      saleStartsAt: new Date(Date.now() + HOUR).toISOString(),
      saleEndsAt: new Date(Date.now() + 2 * HOUR).toISOString(),
    }),
  );
  meter.reset();

  const result = await aContainer(table).purchase({
    shopper: "early",
    sku: product.sku,
    quantity: 1,
    idempotencyKey: newKey(),
  });

  expect(result).toMatchObject({
    ok: false,
    code: "SALE_NOT_STARTED",
    details: { saleStartsAt: product.saleStartsAt },
  });
  expect(meter.writes()).toEqual([]);
});

test("a purchase after the sale closes is SALE_ENDED and writes nothing", async () => {
  const product = await loadProduct(
    table,
    aProduct({
      saleStartsAt: new Date(Date.now() - 2 * HOUR).toISOString(),
      saleEndsAt: new Date(Date.now() - HOUR).toISOString(),
    }),
  );
  meter.reset();

  const result = await aContainer(table).purchase({
    shopper: "late",
    sku: product.sku,
    quantity: 1,
    idempotencyKey: newKey(),
  });

  expect(result).toMatchObject({ ok: false, code: "SALE_ENDED" });
  expect(meter.writes()).toEqual([]);
});

test("an unknown sku is PRODUCT_NOT_FOUND and writes nothing", async () => {
  const result = await aContainer(table).purchase({
    shopper: "lost",
    sku: "no-such-thing",
    quantity: 1,
    idempotencyKey: newKey(),
  });

  expect(result).toMatchObject({ ok: false, code: "PRODUCT_NOT_FOUND" });
  expect(meter.writes()).toEqual([]);
});

test.each([
  ["a fractional quantity", { quantity: 1.5 }, /quantity/],
  ["a zero quantity", { quantity: 0 }, /quantity/],
  ["a negative quantity", { quantity: -1 }, /quantity/],
  ["a huge quantity", { quantity: 1e12 }, /quantity/],
  ["a quantity as a string", { quantity: "1" }, /quantity/],
  ["a sku with odd characters", { sku: "../etc/passwd" }, /sku/],
  ["an empty sku", { sku: "" }, /sku/],
  ["a missing idempotency key", { idempotencyKey: undefined }, /idempotencyKey/],
  ["a too-short idempotency key", { idempotencyKey: "abc" }, /idempotencyKey/],
])("%s is INVALID_REQUEST naming the field, with no DynamoDB call at all", async (_name, change, field) => {
  const request = { shopper: "typo", sku: "some-sku", quantity: 1, idempotencyKey: newKey(), ...change } as never;

  const result = await aContainer(table).purchase(request);

  expect(result).toMatchObject({ ok: false, code: "INVALID_REQUEST", message: expect.stringMatching(field) });
  expect(meter.calls).toEqual([]);
});
