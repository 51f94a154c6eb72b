import { percentile } from "./percentile";

/** The stand-in's test cards (services/local/src/payment-standin/ledger.ts). */
const PAYING_CARD = "4242424242424242";
const DECLINED_CARD = "4000000000000002";

export type Behaviour = "pay" | "abandon" | "decline";

/** A 201 held order as the generator saw it. */
export interface Hold {
  orderId: string;
  shopper: string;
  quantity: number;
  holdExpiresAt: string;
  checkoutUrl: string;
  behaviour: Behaviour;
  /** When the form was posted (ms since epoch) and the stand-in's answer status. */
  postedAt?: number;
  answer?: number | string;
  /** The order's status when it left PENDING_PAYMENT (from the table), when first seen so. */
  ended?: { status: string; seenAt: number };
}

/** 80% pay after 5-60 s, 10% abandon, 10% are declined (after 5-60 s) and then abandon. */
export function behaviourOf(draw: number): Behaviour {
  return draw < 0.8 ? "pay" : draw < 0.9 ? "abandon" : "decline";
}

/**
 * The buyers who got a 201 with a hold: each one's payment (a plain form POST of the card number to the
 * checkoutUrl, as the stand-in's page sends it) is scheduled when the 201 arrives, off the open loop's
 * schedule; abandoners never pay, so the expiry sweep returns their units.
 */
export class CheckoutBuyers {
  readonly holds = new Map<string, Hold>();
  private readonly pending = new Set<Promise<void>>();
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly random: () => number = Math.random,
    private readonly delayMs: [number, number] = [5_000, 60_000],
  ) {}

  /** A purchase answered 201: the order, if it is a new hold (a re-sent intent answers the same order). */
  onCreated(body: string, shopper: string): void {
    let order: { orderId?: string; status?: string; quantity?: number; holdExpiresAt?: string; checkoutUrl?: string };
    try {
      order = (JSON.parse(body) as { order?: typeof order }).order ?? (JSON.parse(body) as typeof order);
    } catch {
      return;
    }
    if (order.status !== "PENDING_PAYMENT" || !order.orderId || !order.checkoutUrl || !order.holdExpiresAt) return;
    if (this.holds.has(order.orderId)) return;
    const hold: Hold = {
      orderId: order.orderId,
      shopper,
      quantity: Number(order.quantity ?? 1),
      holdExpiresAt: order.holdExpiresAt,
      checkoutUrl: order.checkoutUrl,
      behaviour: behaviourOf(this.random()),
    };
    this.holds.set(hold.orderId, hold);
    if (hold.behaviour === "abandon") return;
    const [min, max] = this.delayMs;
    const timer = setTimeout(
      () => {
        this.timers.delete(timer);
        const paying = this.pay(hold, hold.behaviour === "pay" ? PAYING_CARD : DECLINED_CARD);
        this.pending.add(paying);
        void paying.finally(() => this.pending.delete(paying));
      },
      min + this.random() * (max - min),
    );
    this.timers.add(timer);
  }

  private async pay(hold: Hold, cardNumber: string): Promise<void> {
    hold.postedAt = Date.now();
    try {
      const reply = await fetch(hold.checkoutUrl, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ cardNumber }).toString(),
        redirect: "manual",
      });
      await reply.arrayBuffer();
      hold.answer = reply.status;
    } catch (error) {
      hold.answer = error instanceof Error ? error.message : String(error);
    }
  }

  /** Payments still scheduled or in flight. */
  outstanding(): number {
    return this.timers.size + this.pending.size;
  }

  stop(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}

export interface CheckoutReport {
  holds: number;
  heldUnits: number;
  paid: number;
  abandoned: number;
  declined: number;
  /** Holds whose order the sweep ended (seen EXPIRED at least once), units returned. */
  expired: number;
  /** Late payments: orders CONFIRMED after being seen EXPIRED, or REFUNDED. */
  latePaidConfirmed: number;
  refunded: number;
  cancelled: number;
  confirmed: number;
  /** Holds still PENDING_PAYMENT when the run stopped waiting. */
  unended: number;
  /** Holds seen in a final status that is not one a hold ends in, or ended twice (both should be 0). */
  endedWrongly: number;
  /** Units held after the first hold was seen EXPIRED: units the sale sold again after the sweep returned them. */
  unitsResold: number;
  /** From holdExpiresAt to when the order was first seen EXPIRED in the table (polled every pollMs). */
  expiryToReturnMs: { p50: number; p99: number; max: number; count: number; pollMs: number };
}

export function checkoutReport(
  holds: Hold[],
  expiredSeenAt: Map<string, number>,
  statusOf: Map<string, string>,
  createdAtOf: Map<string, string>,
  pollMs: number,
): CheckoutReport {
  const lags: number[] = [];
  for (const hold of holds) {
    const seen = expiredSeenAt.get(hold.orderId);
    if (seen !== undefined) lags.push(seen - Date.parse(hold.holdExpiresAt));
  }
  lags.sort((a, b) => a - b);
  const firstReturn = Math.min(...[...expiredSeenAt.values()]);
  const final = (hold: Hold) => statusOf.get(hold.orderId) ?? "MISSING";
  const count = (test: (hold: Hold) => boolean) => holds.filter(test).length;
  return {
    holds: holds.length,
    heldUnits: holds.reduce((sum, hold) => sum + hold.quantity, 0),
    paid: count((h) => h.behaviour === "pay"),
    abandoned: count((h) => h.behaviour === "abandon"),
    declined: count((h) => h.behaviour === "decline"),
    expired: count((h) => expiredSeenAt.has(h.orderId)),
    latePaidConfirmed: count((h) => expiredSeenAt.has(h.orderId) && final(h) === "CONFIRMED"),
    refunded: count((h) => final(h) === "REFUNDED"),
    cancelled: count((h) => final(h) === "CANCELLED"),
    confirmed: count((h) => final(h) === "CONFIRMED"),
    unended: count((h) => final(h) === "PENDING_PAYMENT"),
    endedWrongly: count(
      (h) => !["CONFIRMED", "EXPIRED", "CANCELLED", "REFUNDED", "PENDING_PAYMENT"].includes(final(h)),
    ),
    unitsResold: holds
      .filter((h) => Number.isFinite(firstReturn) && Date.parse(createdAtOf.get(h.orderId) ?? "") > firstReturn)
      .reduce((sum, hold) => sum + hold.quantity, 0),
    expiryToReturnMs: {
      p50: percentile(lags, 0.5),
      p99: percentile(lags, 0.99),
      max: lags.at(-1) ?? 0,
      count: lags.length,
      pollMs,
    },
  };
}

export interface CheckoutGoal {
  goal: string;
  met: boolean;
  measured: string;
}

/** The held-checkout goals; the run PASSES only when every one holds. */
export function checkoutGoals(report: CheckoutReport, auditOk: boolean | undefined, auditNote: string): CheckoutGoal[] {
  return [
    {
      goal: "every hold ended exactly once",
      met: report.unended === 0 && report.endedWrongly === 0 && report.holds > 0,
      measured: `${report.holds} holds: ${report.unended} still pending, ${report.endedWrongly} in no status a hold ends in (ended: ${report.confirmed} CONFIRMED, ${report.refunded} REFUNDED, ${report.cancelled} CANCELLED, ${report.holds - report.confirmed - report.refunded - report.cancelled - report.unended - report.endedWrongly} EXPIRED)`,
    },
    {
      goal: "held units back within 5 s (p99, holdExpiresAt → order seen EXPIRED)",
      met: report.expired > 0 && report.expiryToReturnMs.p99 <= 5_000,
      measured: `p50 ${report.expiryToReturnMs.p50} ms, p99 ${report.expiryToReturnMs.p99} ms, max ${report.expiryToReturnMs.max} ms over ${report.expiryToReturnMs.count} expiries (polled every ${report.expiryToReturnMs.pollMs} ms)`,
    },
    { goal: "extended audit clean", met: auditOk === true, measured: auditNote },
  ];
}
