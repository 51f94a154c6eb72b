import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startLocalStack } from "../../src/stack";
import { call } from "./support";

const dataDir = mkdtempSync(join(tmpdir(), "flash-sale-stop-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

test("orders answered 201 right before the stack stops are all there after a restart on the same data", async () => {
  // prepare: a stack on a kept data folder, a product, a shopper
  const first = await startLocalStack({ dataDir, quiet: true, say: () => undefined });
  const sku = `stop-${randomUUID().slice(0, 8)}`;
  const hour = 3_600_000;
  await first.loadCatalog([
    {
      sku,
      name: "Stop drill",
      description: "Bought just before a stop",
      imageUrl: "/x.png",
      priceCents: 100,
      currency: "EUR",
      saleStartsAt: new Date(Date.now() - hour).toISOString(),
      saleEndsAt: new Date(Date.now() + hour).toISOString(),
      perCustomerLimit: 20,
      shardCount: 2,
      units: 20,
    },
  ]);
  const shopper = await first.createShopper("stopper@example.com", "Passw0rd!");
  const confirmed: string[] = [];
  for (let i = 0; i < 10; i++) {
    const key = randomUUID();
    const reply = await call(
      first,
      "POST",
      "/purchases",
      shopper.accessToken,
      JSON.stringify({ sku, quantity: 1, idempotencyKey: key }),
    );
    if (reply.status === 201) confirmed.push(key);
  }

  // act: stop at once (as Ctrl-C does) and start again on the same data
  await first.stop();
  const second = await startLocalStack({ dataDir, quiet: true, say: () => undefined });
  const signedIn = await second.createShopper("stopper@example.com", "Passw0rd!");
  const orders = await call(second, "GET", "/orders", signedIn.accessToken);
  await second.stop();

  // assess
  expect(confirmed).toHaveLength(10);
  expect(signedIn.sub).toBe(shopper.sub);
  expect(orders.status).toBe(200);
  expect(orders.body.orders.map((order: { orderId: string }) => order.orderId).sort()).toEqual([...confirmed].sort());
}, 90_000);
