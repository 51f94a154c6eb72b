import { readFileSync } from "node:fs";
import { BatchGetCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { createStripeProvider, stripeEndpointAt } from "@flash-sale/services/payments";
import { orderKey } from "@flash-sale/services/store";
import type { PaymentRecord } from "@flash-sale/services/store";
import type { CheckoutBuyers, Hold } from "../scenario/checkout";

const FINAL = new Set(["CONFIRMED", "CANCELLED", "REFUNDED"]);

export interface HoldWatch {
  expiredSeenAt: Map<string, number>;
  statusOf: Map<string, string>;
  createdAtOf: Map<string, string>;
  pollMs: number;
  waitedMs: number;
}

async function readOrders(doc: DynamoDBDocumentClient, tableName: string, holds: Hold[]) {
  const found: Array<Record<string, unknown>> = [];
  for (let i = 0; i < holds.length; i += 100) {
    let keys: Array<Record<string, unknown>> | undefined = holds
      .slice(i, i + 100)
      .map((hold) => orderKey(hold.shopper, hold.orderId));
    while (keys && keys.length > 0) {
      const page = await doc.send(
        new BatchGetCommand({ RequestItems: { [tableName]: { Keys: keys, ConsistentRead: true } } }),
      );
      found.push(...(page.Responses?.[tableName] ?? []));
      keys = page.UnprocessedKeys?.[tableName]?.Keys as Array<Record<string, unknown>> | undefined;
    }
  }
  return found;
}

/**
 * Watches every hold the buyers were given until each has ended and every scheduled payment was sent
 * (bounded by `deadlineMs`): reads the orders by key every `pollMs`, noting when each was first seen
 * EXPIRED (the sweep returned its units) and each one's latest status.
 */
export async function watchHolds(
  doc: DynamoDBDocumentClient,
  tableName: string,
  buyers: CheckoutBuyers,
  /** When to stop waiting (undefined while the load still runs: the watch starts with the load). */
  deadline: () => number | undefined,
  pollMs = 500,
  log: (line: string) => void = () => undefined,
  /** Webhooks the payment provider still has to deliver (the stand-in's pending events); a late payment's
   * fate (re-taken or refunded) is only known once its webhook landed. */
  undelivered: () => number = () => 0,
): Promise<HoldWatch> {
  const started = Date.now();
  const watch: HoldWatch = {
    expiredSeenAt: new Map(),
    statusOf: new Map(),
    createdAtOf: new Map(),
    pollMs,
    waitedMs: 0,
  };
  let lastLog = 0;
  for (;;) {
    const open = [...buyers.holds.values()].filter((hold) => !FINAL.has(watch.statusOf.get(hold.orderId) ?? ""));
    const seenAt = Date.now();
    for (const item of await readOrders(doc, tableName, open)) {
      const orderId = String(item.orderId);
      const status = String(item.status);
      watch.statusOf.set(orderId, status);
      watch.createdAtOf.set(orderId, String(item.createdAt));
      if (status === "EXPIRED" && !watch.expiredSeenAt.has(orderId)) watch.expiredSeenAt.set(orderId, seenAt);
    }
    const pending = [...buyers.holds.values()].filter((h) => watch.statusOf.get(h.orderId) === "PENDING_PAYMENT");
    if (Date.now() - lastLog > 10_000) {
      lastLog = Date.now();
      log(
        `  holds: ${pending.length} pending, ${buyers.outstanding()} payments still to send, ${undelivered()} webhooks undelivered`,
      );
    }
    const deadlineMs = deadline();
    if (deadlineMs !== undefined) {
      if (pending.length === 0 && buyers.outstanding() === 0 && undelivered() === 0) break;
      if (Date.now() > deadlineMs) break;
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
  // A last payment's webhook (a late one refunded or re-taking units) lands just after its form POST.
  await new Promise((resolve) => setTimeout(resolve, 3_000));
  for (const item of await readOrders(doc, tableName, [...buyers.holds.values()])) {
    watch.statusOf.set(String(item.orderId), String(item.status));
  }
  watch.waitedMs = Date.now() - started;
  return watch;
}

/**
 * The provider's checkouts of one product, listed through its API as `stock reconcile` lists them (the
 * stand-in speaks Stripe's list endpoints), for the audit to compare with the orders.
 */
export async function providerPayments(
  payments: { url?: string; secretKey: string },
  sku: string,
): Promise<PaymentRecord[]> {
  const provider = createStripeProvider({
    secretKey: payments.secretKey,
    // Listing reads no webhooks: no signing secret is needed.
    webhookSecret: "whsec_unused_by_the_audit",
    ...(payments.url ? stripeEndpointAt(payments.url) : {}),
  });
  return (await provider.listPayments()).filter((payment) => payment.sku === sku);
}

/** Events the stand-in still has to deliver, from its state file (0 when there is none). */
export function standinUndelivered(stateFile: string): number {
  try {
    return Object.keys((JSON.parse(readFileSync(stateFile, "utf8")) as { pending?: object }).pending ?? {}).length;
  } catch {
    return 0;
  }
}
