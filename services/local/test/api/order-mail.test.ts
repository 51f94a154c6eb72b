import { randomUUID } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { aProduct } from "@flash-sale/services/testing";
import { startLocalStack, type LocalStack } from "../../src/stack";
import { aShopper } from "./support";

/** The local stack mails from its table's stream: a purchase's mail is printed and kept, once, within 2 s. */

let stack: LocalStack;
const printed: string[] = [];
beforeAll(async () => {
  stack = await startLocalStack({ quiet: true, say: (line) => printed.push(line) });
  await stack.loadCatalog([
    aProduct({ sku: "mail-sneaker", name: "Mail sneaker", priceCents: 12_999, currency: "EUR" }),
  ]);
});
afterAll(async () => {
  await stack?.stop();
});

const kept = () => (existsSync(stack.mailbox) ? readFileSync(stack.mailbox, "utf8") : "");
const count = (text: string, needle: string) => text.split(needle).length - 1;

async function until(what: string, done: () => boolean, limitMs = 10_000): Promise<number> {
  const started = Date.now();
  while (!done()) {
    if (Date.now() - started > limitMs) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return Date.now() - started;
}

test("a purchase prints its confirmation as one framed block and keeps it, within 2 s and exactly once", async () => {
  const shopper = await aShopper(stack);
  const orderId = randomUUID();
  const body = { sku: "mail-sneaker", quantity: 2, idempotencyKey: orderId };

  const bought = await shopper.post("/purchases", body);
  const tookMs = await until("the mail", () => count(kept(), `${orderId}#confirmed`) > 0);
  const replayed = await shopper.post("/purchases", body);
  // Another order's mail arriving says the consumer has moved past anything the first could still bring.
  const later = randomUUID();
  await shopper.post("/purchases", { sku: "mail-sneaker", quantity: 1, idempotencyKey: later });
  await until("the next mail", () => count(kept(), `${later}#confirmed`) > 0);

  expect([bought.status, replayed.status]).toEqual([201, 200]);
  expect(tookMs).toBeLessThan(2_000);
  expect(count(kept(), `${orderId}#confirmed`)).toBe(1);
  const block = printed.find((line) => line.includes(`${orderId}#confirmed`)) ?? "";
  expect(block).toContain("Subject: Order confirmed: Mail sneaker");
  expect(block).toContain("2 × Mail sneaker");
  expect(block).toContain("Total: €259.98");
  expect(block.split("\n")[0]).toMatch(/^╔═+$/);
});
