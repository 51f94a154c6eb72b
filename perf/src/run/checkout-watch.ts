import { existsSync, readFileSync } from "node:fs";
import { BatchGetCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
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

/** The stand-in's sessions of one product (its state file), as the audit compares them with the orders. */
export function standinPayments(stateFile: string, sku: string): PaymentRecord[] | undefined {
  if (!existsSync(stateFile)) return undefined;
  const state = JSON.parse(readFileSync(stateFile, "utf8")) as {
    sessions: Record<
      string,
      {
        session: {
          id: string;
          amount_total: number;
          payment_status: string;
          payment_intent: string | null;
          metadata: Record<string, string>;
          client_reference_id: string | null;
        };
      }
    >;
    refunds: Record<string, { amount: number; payment_intent: string }>;
  };
  const refunded = new Map<string, number>();
  for (const refund of Object.values(state.refunds ?? {}))
    refunded.set(refund.payment_intent, (refunded.get(refund.payment_intent) ?? 0) + refund.amount);
  return Object.values(state.sessions ?? {})
    .filter(({ session }) => session.metadata?.sku === sku)
    .map(({ session }) => ({
      sessionId: session.id,
      orderId: session.metadata?.orderId ?? session.client_reference_id ?? "",
      amountCents: session.amount_total,
      paid: session.payment_status === "paid",
      refundedCents: session.payment_intent ? (refunded.get(session.payment_intent) ?? 0) : 0,
    }));
}

/** Events the stand-in still has to deliver, from its state file (0 when there is none). */
export function standinUndelivered(stateFile: string): number {
  try {
    return Object.keys((JSON.parse(readFileSync(stateFile, "utf8")) as { pending?: object }).pending ?? {}).length;
  } catch {
    return 0;
  }
}
