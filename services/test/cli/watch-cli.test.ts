import type { Shop } from "../../src/domain/shop";
import { createOrderEventsHandler } from "../../src/events/order-events-handler";
import { salesTallyEffect } from "../../src/store/sales-tally";
import {
  aCheckoutContainer,
  aProduct,
  aWaitingRoomContainer,
  loadProduct,
  newKey,
  RecordingProvider,
  type TestTable,
  webhookOf,
} from "../support/shop";
import { runStockCli } from "../support/stock-cli";
import { consumeStream } from "../support/stream";
import { createTestTable } from "../support/table";

/**
 * `stock watch` run as a merchandiser runs it, against DynamoDB Local with the order-events consumer keeping the
 * sales tally from the table's stream (as the local stack and the Lambda do). Each test has its own products.
 */
let table: TestTable;
let stopConsumer: () => Promise<void>;
let shop: Shop;
beforeAll(async () => {
  table = await createTestTable();
  stopConsumer = await consumeStream(
    table,
    createOrderEventsHandler({
      doc: table.doc,
      tableName: table.tableName,
      sender: { send: async () => undefined },
      effects: [salesTallyEffect(table.doc, table.tableName)],
    }),
  );
  shop = aCheckoutContainer(table, new RecordingProvider(), { snapshotTtlMs: 0 });
});
afterAll(async () => {
  await stopConsumer();
  await table.drop();
});

const watch = (...args: string[]) => runStockCli(table, ["watch", ...args]);
const status = (...args: string[]) => runStockCli(table, ["status", ...args]);

/** One purchase of `sku` by a new shopper; every third held order is paid at once. */
async function buy(sku: string, n: number): Promise<void> {
  const shopper = `shopper-${newKey()}`;
  const result = await shop.purchase({ shopper, sku, quantity: 1 + (n % 2), idempotencyKey: newKey() });
  if (!result.ok) throw new Error(`purchase refused: ${result.code}`);
  if (result.order.status === "PENDING_PAYMENT" && n % 3 === 0)
    await shop.applyPaymentWebhook(
      webhookOf({
        kind: "paid",
        eventId: `evt_${result.order.orderId}`,
        orderId: result.order.orderId,
        shopper,
        paymentId: `pi_${result.order.orderId}`,
        amountCents: result.order.totalCents,
        currency: result.order.currency,
      }),
    );
}

const counts = (row: { available: number; held: number; sold: number; shards?: number[] }) => ({
  available: row.available,
  held: row.held,
  sold: row.sold,
  shards: row.shards,
});

test("watch --once --json matches status (available, held, sold, shards) once the consumer has caught up with a sale", async () => {
  // prepare: a payment product and an instant one, bought in a burst while watch runs
  const held = await loadProduct(table, aProduct({ checkout: "payment", holdSeconds: 600, units: 60, shardCount: 4 }));
  const instant = await loadProduct(table, aProduct({ units: 60, shardCount: 2 }));
  let n = 0;
  const burst = (async () => {
    for (; n < 24; n++) await Promise.all([buy(held.sku, n), buy(instant.sku, n)]);
  })();

  // act: a frame during the burst, then frames until they agree with status
  const during = await watch(held.sku, "--once", "--json");
  await burst;
  let agreed: { watch: unknown; status: unknown } | undefined;
  for (const deadline = Date.now() + 30_000; !agreed && Date.now() < deadline; ) {
    const [frame, rows] = await Promise.all([watch("--once", "--json", "--shards"), status("--json")]);
    const watched = JSON.parse(frame.stdout).products.map(counts);
    const stated = JSON.parse(rows.stdout).map(counts);
    if (JSON.stringify(watched) === JSON.stringify(stated)) agreed = { watch: watched, status: stated };
  }

  // assess
  expect(during).toMatchObject({ code: 0, stderr: "" });
  expect(JSON.parse(during.stdout).products).toEqual([expect.objectContaining({ sku: held.sku, loaded: 60 })]);
  expect(agreed).toBeDefined();
  const final = JSON.parse((await watch(held.sku, "--once", "--json")).stdout).products[0];
  // 24 holds of 1 or 2 units (36), 8 of them paid (12 units): 24 units still held, 12 sold.
  expect(final).toMatchObject({ held: 24, sold: 12, available: 24, heldOrders: 24, confirmedOrders: 8 });
}, 120_000);

test("the terminal frame names each product with its counts, and shards on request", async () => {
  const product = await loadProduct(table, aProduct({ units: 30, shardCount: 3 }));
  await buy(product.sku, 1);

  const run = await watch(product.sku, "--once", "--shards");

  expect(run.code).toBe(0);
  expect(run.stdout).toMatch(/sku\s+confirmed\/s\s+confirmed\s+held\s+available/);
  expect(run.stdout).toMatch(new RegExp(`${product.sku} shards: \\d+ \\d+ \\d+`));
  expect(run.stdout).toContain("Refusals: n/a");
  expect(run.stdout).toContain("add --metrics <namespace> to read them from CloudWatch");
});

test("the waiting line (joined, admitted, waiting) is the one status shows, from the join counters", async () => {
  // prepare: three shoppers join the line of a product whose sale opened a minute ago, admitting 1 a second
  const product = await loadProduct(
    table,
    aProduct({
      waitingRoom: true,
      admissionRate: 1,
      saleStartsAt: new Date(Date.now() - 60_000).toISOString(),
      saleEndsAt: new Date(Date.now() + 3_600_000).toISOString(),
    }),
  );
  const room = aWaitingRoomContainer(table);
  for (const shopper of ["ana", "ben", "cy"]) await room.admission(shopper, product.sku);

  // act
  const frame = JSON.parse((await watch(product.sku, "--once", "--json")).stdout).products[0];
  const [row] = JSON.parse((await status(product.sku, "--json")).stdout);

  // assess
  expect(frame.waitingRoom).toMatchObject({
    joined: 3,
    admitted: row.waitingRoom.admitted,
    state: row.waitingRoom.state,
  });
  expect(frame.waitingRoom.waiting).toBe(row.waitingRoom.waiting);
});

test("a product without a waiting room has no line in the frame", async () => {
  const product = await loadProduct(table, aProduct());

  const frame = JSON.parse((await watch(product.sku, "--once", "--json")).stdout).products[0];

  expect(frame).not.toHaveProperty("waitingRoom");
  expect(frame).toMatchObject({ confirmedOrders: 0, held: 0, available: 20 });
});

test("without --once it prints a frame every second, each counting what the tally has reached", async () => {
  const product = await loadProduct(table, aProduct({ units: 30 }));
  let bought = 0;
  const buying = setInterval(() => {
    void buy(product.sku, 2 * bought++);
  }, 200);

  const run = await runStockCli(
    table,
    ["watch", product.sku, "--json"],
    undefined,
    {},
    (out) => out.split("\n").filter(Boolean).length >= 3,
  ).finally(() => clearInterval(buying));

  const frames = run.stdout
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line));
  expect(frames.length).toBeGreaterThanOrEqual(3);
  const times = frames.map((frame) => Date.parse(frame.at));
  for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(900);
  const confirmed = frames.map((frame) => frame.products[0].confirmedOrders);
  expect(confirmed).toEqual([...confirmed].sort((a, b) => a - b));
  expect(frames.at(-1).products[0].confirmedOrders).toBeGreaterThan(0);
});

test("--help explains the command, its cost and --once --json", async () => {
  const run = await runStockCli(table, ["watch", "--help"]);

  expect(run.code).toBe(0);
  expect(run.stdout).toContain("Usage: npm run stock -- watch [sku] [--once] [--json] [--shards]");
  expect(run.stdout).toContain("never scans");
});

test.each([
  [["--every", "5"], 2, "unknown option --every"],
  [["one", "two"], 2, "watch takes at most one sku"],
  [["no-such-sku", "--once"], 1, "no product 'no-such-sku'"],
])("watch %j fails with exit %i: %s", async (args, code, message) => {
  const run = await watch(...args);

  expect(run.code).toBe(code);
  expect(run.stderr).toContain(message);
  expect(run.stdout).toBe("");
});
