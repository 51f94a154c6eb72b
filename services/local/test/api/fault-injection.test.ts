import { randomUUID } from "node:crypto";
import { createDocumentClient } from "@flash-sale/services/store";
import { startLocalStack, type LocalStack } from "../../src/stack";
import { scanTable } from "@flash-sale/services/store";
import { aShopper, call, type Caller } from "./support";

/**
 * A short sale on the local stack while DynamoDB Local is frozen (SIGSTOP), thawed, then killed
 * (SIGKILL) and restarted by the stack's supervisor. Every answer must be a contract answer, never a
 * 500 and never slower than the handlers' deadline; afterwards the table's books must balance and
 * every unit must still be sellable.
 */

const UNITS = 30;
const SHARDS = 4;
const LIMIT = 2;
const SHOPPERS = 20; // 40 units of appetite for 30 units: the sale sells out
const DEADLINE_MS = 2_500; // the handlers' default
const SLACK_MS = 1_000; // gateway, JSON and a busy 2-core machine

interface Answer {
  status: number;
  ms: number;
  phase: string;
}

let stack: LocalStack;
const news: string[] = [];
let sku: string;
let shoppers: Caller[];
beforeAll(async () => {
  stack = await startLocalStack({ quiet: true, say: (line) => news.push(line) });
  sku = `fault-${randomUUID().slice(0, 8)}`;
  const hour = 3_600_000;
  await stack.loadCatalog([
    {
      sku,
      name: "Fault drill",
      description: "Units for the fault drill",
      imageUrl: "/x.png",
      priceCents: 100,
      currency: "EUR",
      saleStartsAt: new Date(Date.now() - hour).toISOString(),
      saleEndsAt: new Date(Date.now() + hour).toISOString(),
      perCustomerLimit: LIMIT,
      shardCount: SHARDS,
      units: UNITS,
    },
  ]);
  shoppers = await Promise.all(Array.from({ length: SHOPPERS }, () => aShopper(stack)));
}, 60_000);
afterAll(async () => {
  await stack?.stop();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test("a frozen, then killed engine yields only contract answers within the deadline, recovers by itself, and the books balance", async () => {
  // prepare: shoppers browse their orders and buy 1 unit at a time, at human pace, until refused or at
  // their limit, and go on browsing until the engine is back; a 503 is retried with the same key, as
  // the storefront does
  const answers: Answer[] = [];
  let phase = "normal";
  const timed = async (request: () => Promise<{ status: number; body: any }>) => {
    const started = performance.now();
    const reply = await request();
    answers.push({ status: reply.status, ms: performance.now() - started, phase });
    return reply;
  };
  const shop = async (shopper: Caller) => {
    let bought = 0;
    let refusal: string | undefined;
    while (!(refusal || bought === LIMIT) || phase !== "recovered") {
      await timed(() => shopper.get("/orders"));
      if (!refusal && bought < LIMIT) {
        const key = randomUUID();
        let reply: { status: number; body: any };
        do {
          reply = await timed(() => shopper.post("/purchases", { sku, quantity: 1, idempotencyKey: key }));
          if (reply.status === 503) await sleep(200);
        } while (reply.status === 503);
        if (reply.status === 409) refusal = reply.body.error.code as string;
        else bought++;
      }
      await sleep(300 + Math.random() * 1_200);
    }
    return refusal ?? "LIMIT_REACHED";
  };

  // act: the sale runs; the engine freezes for 4 s, thaws, is killed, and comes back by itself
  const sale = Promise.all(shoppers.map(shop));
  await sleep(1_000);
  phase = "frozen";
  process.kill(stack.enginePids().dynamo, "SIGSTOP");
  await sleep(4_000);
  process.kill(stack.enginePids().dynamo, "SIGCONT");
  phase = "thawed";
  await sleep(1_000);
  phase = "killed";
  const killedPid = stack.enginePids().dynamo;
  process.kill(killedPid, "SIGKILL");
  while (!news.some((line) => line.includes("DynamoDB Local is back"))) await sleep(100);
  phase = "recovered";
  const outcomes = await sale;

  // assess: only contract answers, none slower than the deadline
  const statuses = [...new Set(answers.map((answer) => answer.status))].sort();
  expect(statuses.every((status) => [200, 201, 409, 503].includes(status))).toBe(true);
  expect(answers.filter((answer) => answer.status >= 500 && answer.status !== 503)).toEqual([]);
  const slowest = Math.max(...answers.map((answer) => answer.ms));
  expect(slowest).toBeLessThan(DEADLINE_MS + SLACK_MS);
  // the faults were really felt: 503s while frozen and after the kill
  expect(answers.some((answer) => answer.phase === "frozen" && answer.status === 503)).toBe(true);
  expect(answers.some((answer) => answer.phase === "killed" && answer.status === 503)).toBe(true);
  // the stack said what happened and restarted the engine by itself
  expect(stack.enginePids().dynamo).not.toBe(killedPid);
  expect(news.some((line) => line.includes("DynamoDB Local") && line.includes("exited unexpectedly"))).toBe(true);
  expect(news.some((line) => line.includes("DynamoDB Local is back"))).toBe(true);
  // every shopper ended at their limit or on a final refusal
  expect(
    outcomes.every((outcome) =>
      ["LIMIT_REACHED", "SOLD_OUT", "LIMIT_EXCEEDED", "INSUFFICIENT_STOCK"].includes(outcome),
    ),
  ).toBe(true);

  // assess the books straight from the restarted engine: no oversell, no stranded unit, limits held
  const doc = createDocumentClient({ region: stack.region, endpoint: stack.dynamoEndpoint });
  const items = await scanTable(doc, stack.tableName);
  doc.destroy();
  const shards = items.filter((item) => String(item.pk).startsWith(`STOCK#${sku}#`)).map((item) => Number(item.units));
  const orders = items.filter((item) => item.type === "ORDER" && item.sku === sku);
  const sold = orders.reduce((sum, order) => sum + Number(order.quantity), 0);
  expect(shards).toEqual(new Array(SHARDS).fill(0));
  expect(sold).toBe(UNITS);
  const perShopper = new Map<string, number>();
  for (const order of orders)
    perShopper.set(String(order.shopper), (perShopper.get(String(order.shopper)) ?? 0) + Number(order.quantity));
  const limitItems = items.filter((item) => item.sk === `LIMIT#${sku}`);
  expect(Math.max(...perShopper.values())).toBeLessThanOrEqual(LIMIT);
  expect(limitItems.map((item) => [String(item.pk).slice("SHOPPER#".length), Number(item.units)]).sort()).toEqual(
    [...perShopper.entries()].sort(),
  );
}, 120_000);

test("a sale with holds through a frozen, then killed engine: every hold ends exactly once and the books balance", async () => {
  // prepare: a payment product with 10 s holds; each shopper holds one unit (retrying 503s with the same key)
  // and either pays on the stand-in's page or walks away
  const held = `hold-${randomUUID().slice(0, 8)}`;
  const hour = 3_600_000;
  await stack.loadCatalog([
    {
      sku: held,
      name: "Held drill",
      description: "Units held while shoppers pay",
      imageUrl: "/x.png",
      priceCents: 100,
      currency: "EUR",
      saleStartsAt: new Date(Date.now() - hour).toISOString(),
      saleEndsAt: new Date(Date.now() + hour).toISOString(),
      perCustomerLimit: 1,
      shardCount: 2,
      units: 12,
      checkout: "payment",
      holdSeconds: 10,
    },
  ]);
  // The shop's catalog snapshot is up to a second old: hold only once the public feed lists the new product.
  for (const until = Date.now() + 10_000; Date.now() < until; await sleep(100)) {
    const feed = await call(stack, "GET", "/availability", undefined);
    if (feed.body?.products?.some((product: { sku: string }) => product.sku === held)) break;
  }
  const statuses: number[] = [];
  let payments = 0;
  const hold = async (shopper: Caller): Promise<string> => {
    const key = randomUUID();
    let reply: { status: number; body: any };
    do {
      reply = await shopper.post("/purchases", { sku: held, quantity: 1, idempotencyKey: key });
      statuses.push(reply.status);
      if (reply.status === 503) await sleep(200);
    } while (reply.status === 503);
    return reply.body.order.checkoutUrl as string;
  };
  const pay = async (checkoutUrl: string) => {
    const paid = await fetch(checkoutUrl, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "cardNumber=4242424242424242",
      redirect: "manual",
    });
    if (paid.status === 303) payments++;
  };
  const doc = createDocumentClient({ region: stack.region, endpoint: stack.dynamoEndpoint });
  const ordersOf = async () =>
    (await scanTable(doc, stack.tableName)).filter((item) => item.type === "ORDER" && item.sku === held);

  // act: ten shoppers hold a unit; the engine freezes while five of them pay, so the provider's webhooks meet it
  // frozen (503, retried); it thaws; once the payments have landed it is killed while the other five holds
  // run out, and comes back by itself for the sweep to return them
  const pages = await Promise.all(shoppers.slice(0, 10).map(hold));
  process.kill(stack.enginePids().dynamo, "SIGSTOP");
  await Promise.all(pages.filter((_, i) => i % 2 === 0).map(pay));
  await sleep(3_000);
  process.kill(stack.enginePids().dynamo, "SIGCONT");
  for (const until = Date.now() + 30_000; Date.now() < until; await sleep(200))
    if ((await ordersOf()).filter((order) => order.paymentId !== undefined).length === payments) break;
  // DynamoDB Local (unlike DynamoDB) may lose writes it acknowledged just before a SIGKILL: give it a moment.
  await sleep(2_000);
  const killedPid = stack.enginePids().dynamo;
  const restarts = news.filter((line) => line.includes("DynamoDB Local is back")).length;
  process.kill(killedPid, "SIGKILL");
  while (news.filter((line) => line.includes("DynamoDB Local is back")).length === restarts) await sleep(100);

  // assess: once every hold has run out and the sweep and the retried webhooks have caught up, nothing is
  // pending and every payment has landed on its order (confirmed, or refunded if its units were gone)
  for (const until = Date.now() + 45_000; Date.now() < until; await sleep(500))
    if (
      (await ordersOf()).every((order) => order.status !== "PENDING_PAYMENT") &&
      (await ordersOf()).filter((order) => order.paymentId !== undefined).length === payments
    )
      break;
  const items = await scanTable(doc, stack.tableName);
  doc.destroy();
  const orders = items.filter((item) => item.type === "ORDER" && item.sku === held);
  const units = (status: string) => orders.filter((order) => order.status === status).length;
  process.stdout.write(
    `\nholds through the faults: ${units("CONFIRMED")} confirmed, ${units("EXPIRED")} expired, ${units("REFUNDED")} refunded; answers ${[...new Set(statuses)].join(", ")}\n`,
  );
  const available = items
    .filter((item) => String(item.pk).startsWith(`STOCK#${held}#`))
    .reduce((sum, item) => sum + Number(item.units), 0);
  expect(statuses.every((status) => [200, 201, 503].includes(status))).toBe(true);
  expect(statuses.filter((status) => status === 201 || status === 200).length).toBeGreaterThanOrEqual(10);
  expect(orders).toHaveLength(10);
  expect(orders.every((order) => ["CONFIRMED", "EXPIRED", "REFUNDED"].includes(String(order.status)))).toBe(true);
  expect(payments).toBe(5);
  expect(units("CONFIRMED") + units("REFUNDED")).toBe(payments); // each payment ended its hold exactly once
  expect(available + units("CONFIRMED")).toBe(12); // loaded = available + held (none left) + sold
  expect(
    items.filter((item) => item.type === "HOLD" && orders.some((order) => order.orderId === item.orderId)),
  ).toEqual([]);
  const allowances = items.filter((item) => item.sk === `LIMIT#${held}`);
  for (const allowance of allowances) {
    const shopper = String(allowance.pk).slice("SHOPPER#".length);
    const kept = orders.filter((order) => order.shopper === shopper && order.status === "CONFIRMED").length;
    expect(Number(allowance.units)).toBe(kept);
  }
}, 120_000);

test("a killed cognito-local is restarted on the same data: shoppers still sign up and their tokens still work", async () => {
  // prepare
  const before = await aShopper(stack);
  const killedPid = stack.enginePids().cognito;

  // act
  process.kill(killedPid, "SIGKILL");
  // The supervisor announces the restart once the new engine answers; a sign-up can succeed just before that.
  const isBack = () => news.some((line) => line.includes("cognito-local is back"));
  let after: Caller | undefined;
  for (let i = 0; i < 120 && !(after && isBack()); i++) {
    await sleep(250);
    after ??= await aShopper(stack).catch(() => undefined);
  }

  // assess
  expect(after).toBeDefined();
  expect(stack.enginePids().cognito).not.toBe(killedPid);
  expect(news.some((line) => line.includes("cognito-local is back"))).toBe(true);
  expect((await call(stack, "GET", "/orders", before.token)).status).toBe(200);
}, 60_000);
