import {
  aContainer,
  aProduct,
  aWaitingRoomContainer,
  loadProduct,
  newKey,
  scanAll,
  type TestTable,
} from "./support/shop";
import { JOIN_COUNTER_SHARDS, PLACING_LEASE_MS } from "../src/domain/waiting-room";
import { StoreUnavailableError } from "../src/domain/ports";
import { DynamoAdmissionStore } from "../src/store/admission-store";
import { createTestTable } from "./support/table";
import { meterCalls } from "./support/write-meter";

/** The waiting room against DynamoDB Local: what joining, polling and buying cost, and who may buy. */

const MINUTE = 60_000;

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

/** A waiting-room product on a simulated clock, opening in a minute. */
async function aSale(overrides: Parameters<typeof aProduct>[0] = {}) {
  const opensAt = Date.now() + 10 * MINUTE;
  const clock = { now: opensAt - MINUTE };
  const product = await loadProduct(
    table,
    aProduct({
      waitingRoom: true,
      admissionRate: 1,
      perCustomerLimit: 1,
      saleStartsAt: new Date(opensAt).toISOString(),
      saleEndsAt: new Date(opensAt + 60 * MINUTE).toISOString(),
      ...overrides,
    }),
  );
  return { product, opensAt, clock, options: { clock: () => clock.now } };
}

test("a first join writes only the shopper's own item and one join counter; joining again writes nothing", async () => {
  // prepare
  const { product, options } = await aSale();
  const shop = aWaitingRoomContainer(table, options);
  await shop.getProduct(product.sku);
  meter.reset();

  // act
  const first = await shop.admission("alice", product.sku);
  const firstCalls = meter.calls.map((call) => call.command);
  meter.reset();
  const again = await aWaitingRoomContainer(table, options).admission("alice", product.sku);

  // assess
  expect(first).toMatchObject({
    ok: true,
    view: { state: "waiting", admitted: false, position: expect.any(Number), ticket: expect.any(String) },
  });
  expect(firstCalls.filter((command) => ["PutItemCommand", "UpdateItemCommand"].includes(command))).toEqual([
    "PutItemCommand",
    "UpdateItemCommand",
  ]);
  expect(meter.writes()).toEqual([]);
  expect(again.ok && again.view.ticket).toBe(first.ok && first.view.ticket);
  const written = (await scanAll(table)).filter((item) => item.type === "JOIN" || item.type === "JOINS");
  expect(written.map((item) => String(item.pk).replace(/#[^#]+#[^#]+$/, "#…")).sort()).toEqual(
    [`JOINS#${product.sku}#…`, "SHOPPER#alice"].sort(),
  );
});

test("polling with the ticket makes no DynamoDB call at all", async () => {
  // prepare: joined, with the container's snapshot and join counts warm
  const { product, clock, options } = await aSale();
  const shop = aWaitingRoomContainer(table, options);
  const joined = await shop.admission("bob", product.sku);
  const ticket = joined.ok ? joined.view.ticket : undefined;
  meter.reset();

  // act: 100 polls within the snapshot's second
  const polls = [];
  for (let i = 0; i < 100; i++) polls.push(await shop.admission("bob", product.sku, ticket));
  clock.now += 1;

  // assess
  expect(polls.every((poll) => poll.ok && poll.view.state === "waiting")).toBe(true);
  expect(meter.calls).toEqual([]);
});

test("a ticket of another shopper does not move anyone: it is ignored and the caller's own place is used", async () => {
  const { product, options } = await aSale();
  const shop = aWaitingRoomContainer(table, options);
  const alice = await shop.admission("carol", product.sku);
  const bob = await shop.admission("dave", product.sku, alice.ok ? alice.view.ticket : undefined);

  expect(bob.ok && bob.view.ticket).not.toBe(alice.ok && alice.view.ticket);
});

describe("buying a waiting-room product", () => {
  test.each([
    ["no pass", () => undefined, "missing"],
    ["a made-up pass", () => "v1.eyJzdWIiOiJlcmluIn0.AAAA", "forged"],
    ["garbage", () => "not a pass at all", "malformed"],
  ])("with %s is NOT_ADMITTED, with no DynamoDB call beyond the container's snapshot", async (_name, pass, reason) => {
    // prepare: the sale is open; the container's snapshot is warm
    const { product, opensAt, clock, options } = await aSale();
    clock.now = opensAt + 1_000;
    const shop = aWaitingRoomContainer(table, options);
    await shop.getProduct(product.sku);
    meter.reset();

    // act
    const result = await shop.purchase({
      shopper: "erin",
      sku: product.sku,
      quantity: 1,
      idempotencyKey: newKey(),
      ...(pass() ? { admissionPass: pass()! } : {}),
    });

    // assess
    expect(result).toMatchObject({ ok: false, code: "NOT_ADMITTED", details: { reason } });
    expect(meter.calls).toEqual([]);
  });

  test("with another shopper's pass, or a pass for another product, is NOT_ADMITTED and writes nothing", async () => {
    // prepare: frank is admitted to one product; another waiting-room product is on sale too
    const { product, opensAt, clock, options } = await aSale({ admissionRate: 1_000 });
    const other = await loadProduct(
      table,
      aProduct({ waitingRoom: true, saleStartsAt: product.saleStartsAt, saleEndsAt: product.saleEndsAt }),
    );
    const shop = aWaitingRoomContainer(table, options);
    await shop.admission("frank", product.sku);
    clock.now = opensAt + 1_000;
    const admitted = await shop.admission("frank", product.sku);
    const pass = admitted.ok ? admitted.view.pass : undefined;
    expect(pass).toEqual(expect.any(String));
    meter.reset();

    // act
    const stolen = await shop.purchase({
      shopper: "grace",
      sku: product.sku,
      quantity: 1,
      idempotencyKey: newKey(),
      admissionPass: pass!,
    });
    const elsewhere = await shop.purchase({
      shopper: "frank",
      sku: other.sku,
      quantity: 1,
      idempotencyKey: newKey(),
      admissionPass: pass!,
    });

    // assess
    expect(stolen).toMatchObject({ ok: false, code: "NOT_ADMITTED", details: { reason: "other-shopper" } });
    expect(elsewhere).toMatchObject({ ok: false, code: "NOT_ADMITTED", details: { reason: "other-product" } });
    expect(meter.writes()).toEqual([]);
  });

  test("with the shopper's own pass, once admitted, buys (in any container); after the turn ends, NOT_ADMITTED", async () => {
    // prepare: heidi joins before the opening; her turn comes within a second of it
    const { product, opensAt, clock, options } = await aSale({ admissionRate: 1_000 });
    const shop = aWaitingRoomContainer(table, { ...options, passTtlMs: 2 * MINUTE });
    await shop.admission("heidi", product.sku);
    clock.now = opensAt + 1_000;
    const admitted = await shop.admission("heidi", product.sku);
    const pass = admitted.ok ? admitted.view.pass : undefined;

    // act
    const bought = await aWaitingRoomContainer(table, options).purchase({
      shopper: "heidi",
      sku: product.sku,
      quantity: 1,
      idempotencyKey: newKey(),
      admissionPass: pass!,
    });
    clock.now = opensAt + 3 * MINUTE;
    const late = await shop.purchase({
      shopper: "heidi",
      sku: product.sku,
      quantity: 1,
      idempotencyKey: newKey(),
      admissionPass: pass!,
    });
    const status = await shop.admission("heidi", product.sku);

    // assess
    expect(admitted).toMatchObject({
      ok: true,
      view: { state: "admitted", admitted: true, passExpiresAt: expect.any(String) },
    });
    expect(bought).toMatchObject({ ok: true, replayed: false });
    expect(late).toMatchObject({ ok: false, code: "NOT_ADMITTED", details: { reason: "expired" } });
    expect(status).toMatchObject({ ok: true, view: { state: "expired", admitted: false } });
  });

  test("a server without the admission key refuses every waiting-room purchase (fails closed)", async () => {
    const { product, opensAt, clock, options } = await aSale();
    clock.now = opensAt + 1_000;

    const result = await aContainer(table, options).purchase({
      shopper: "ivan",
      sku: product.sku,
      quantity: 1,
      idempotencyKey: newKey(),
      admissionPass: "v1.a.b",
    });

    expect(result).toMatchObject({ ok: false, code: "NOT_ADMITTED", details: { reason: "unconfigured" } });
  });
});

test("when the product sells out, everyone still waiting is told at once and nobody joins a sold-out line", async () => {
  // prepare: one unit; 21 shoppers joined; one shopper a minute is admitted, so 8 minutes in some are in and most wait
  const { product, opensAt, clock, options } = await aSale({ units: 1, shardCount: 1, admissionRate: 1 / 60 });
  const shop = aWaitingRoomContainer(table, { ...options, passTtlMs: 60 * MINUTE });
  const shoppers = Array.from({ length: 21 }, (_, i) => `waiting-${i}`);
  const tickets = new Map<string, string | undefined>();
  for (const shopper of shoppers) {
    const view = await shop.admission(shopper, product.sku);
    tickets.set(shopper, view.ok ? view.view.ticket : undefined);
  }
  clock.now = opensAt + 8 * MINUTE;
  const admittedNow = [];
  for (const shopper of shoppers) {
    const view = await shop.admission(shopper, product.sku, tickets.get(shopper));
    if (view.ok && view.view.state === "admitted") admittedNow.push({ shopper, pass: view.view.pass! });
  }
  expect(admittedNow.length).toBeGreaterThan(0);
  expect(admittedNow.length).toBeLessThan(shoppers.length);
  const buyer = admittedNow[0]!;
  expect(
    await shop.purchase({
      shopper: buyer.shopper,
      sku: product.sku,
      quantity: 1,
      idempotencyKey: newKey(),
      admissionPass: buyer.pass,
    }),
  ).toMatchObject({ ok: true });
  clock.now += 2_000; // past the containers' snapshot second
  meter.reset();

  // act: the rest poll, half of them through a fresh container; a newcomer tries to join
  const told = await Promise.all(
    shoppers
      .filter((s) => s !== buyer.shopper)
      .map((s, i) => (i % 2 ? shop : aWaitingRoomContainer(table, options)).admission(s, product.sku, tickets.get(s))),
  );
  const newcomer = await shop.admission("newcomer", product.sku);

  // assess
  expect(new Set(told.map((result) => result.ok && result.view.state))).toEqual(new Set(["sold-out"]));
  expect(newcomer).toMatchObject({ ok: true, view: { state: "sold-out", admitted: false } });
  expect(meter.writes()).toEqual([]);
});

test("a product without a waiting room has no line: GET /admission answers PRODUCT_NOT_FOUND and purchases take no pass", async () => {
  const product = await loadProduct(table, aProduct({ units: 5 }));
  const shop = aWaitingRoomContainer(table);

  const admission = await shop.admission("kim", product.sku);
  const bought = await shop.purchase({ shopper: "kim", sku: product.sku, quantity: 1, idempotencyKey: newKey() });

  expect(admission).toMatchObject({
    ok: false,
    code: "PRODUCT_NOT_FOUND",
    message: expect.stringMatching(/no waiting room/),
  });
  expect(bought).toMatchObject({ ok: true });
});

test("after the sale closes the line is closed", async () => {
  const { product, opensAt, clock, options } = await aSale();
  clock.now = opensAt + 61 * MINUTE;

  const result = await aWaitingRoomContainer(table, options).admission("liam", product.sku);

  expect(result).toMatchObject({ ok: true, view: { state: "closed", admitted: false } });
});

describe("a later join whose first request died before counting it", () => {
  /** The join item such a request leaves: recorded after the opening, never counted nor placed. */
  async function anUncountedJoin(shopper: string) {
    const { product, opensAt, clock, options } = await aSale();
    clock.now = opensAt + 5_000;
    const store = new DynamoAdmissionStore(table.doc, table.tableName);
    await store.claimJoin(shopper, product.sku, product.saleStartsAt, {
      joinedAt: clock.now,
      early: false,
      placing: clock.now,
    });
    return { product, clock, options, store };
  }

  test("is counted once, by one of the requests that come after its lease ran out", async () => {
    // prepare
    const { product, clock, options, store } = await anUncountedJoin("ivan");
    clock.now += PLACING_LEASE_MS;

    // act: five requests of the shopper in two containers at once
    const containers = [aWaitingRoomContainer(table, options), aWaitingRoomContainer(table, options)];
    const answers = await Promise.all(
      Array.from({ length: 5 }, (_, i) => containers[i % 2]!.admission("ivan", product.sku)),
    );
    const counts = await store.readJoinCounts(product.sku, product.saleStartsAt, JOIN_COUNTER_SHARDS);

    // assess
    expect(answers.every((answer) => answer.ok)).toBe(true);
    expect(new Set(answers.map((answer) => answer.ok && answer.view.ticket)).size).toBe(1);
    expect(counts).toEqual({ early: 0, late: 1 });
  });

  test("while its lease runs, a repeated join is told to try again and counts nothing", async () => {
    // prepare
    const { product, options, store } = await anUncountedJoin("judy");

    // act
    const answer = aWaitingRoomContainer(table, options).admission("judy", product.sku);

    // assess
    await expect(answer).rejects.toThrow(StoreUnavailableError);
    expect(await store.readJoinCounts(product.sku, product.saleStartsAt, JOIN_COUNTER_SHARDS)).toEqual({
      early: 0,
      late: 0,
    });
  });
});
