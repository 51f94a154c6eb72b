import { randomUUID } from "node:crypto";
import type { NewProduct } from "@flash-sale/services/store";
import { errorLabel, outcomeLabel, type HttpClient } from "../load/http-client";
import type { Execute } from "../load/open-loop";
import { profileFromName, type Phase } from "../load/schedule";
import type { Shopper } from "./shoppers";

export interface FlashSaleOptions {
  shoppers: number;
  units: number;
  perCustomerLimit: number;
  shards: number;
  /** Before the sale: shoppers load the signed-in listing (in turn, each as its page loads)... */
  listingRate: number;
  /** ...and their open tabs poll the public availability feed, as the storefront does every 2 s. */
  feedRate: number;
  listingSeconds: number;
  /** The sale opens: the purchase burst (peak rate, profile shape). */
  burstRate: number;
  burstSeconds: number;
  profile: "constant" | "ramp" | "spike";
  /** After the sell-out: the long tail still trying. */
  tailRate: number;
  tailSeconds: number;
  /** Share of purchases that re-send an earlier intent with its idempotency key (a client retry). */
  replayShare: number;
  /** Held checkout (`--checkout`): the product takes payment, holding units for this many seconds. */
  holdSeconds?: number;
}

export const PHASES = ["pre-sale", "burst", "tail"] as const;

/** What each phase's requests are: listing polls vs purchase attempts. */
const PURCHASE_SHARE: Record<(typeof PHASES)[number], number> = { "pre-sale": 0.05, burst: 0.9, tail: 0.6 };

export function flashSalePhases(options: FlashSaleOptions): Phase[] {
  return [
    {
      name: "pre-sale",
      profile: {
        kind: "constant",
        rate: options.listingRate + options.feedRate,
        durationMs: options.listingSeconds * 1000,
      },
    },
    {
      name: "burst",
      profile: profileFromName(options.profile, options.burstRate, options.burstSeconds * 1000, options.tailRate),
    },
    { name: "tail", profile: { kind: "constant", rate: options.tailRate, durationMs: options.tailSeconds * 1000 } },
  ];
}

/** The product on sale: opens when the pre-sale phase ends, closes a minute after the run. */
export function saleProduct(runId: string, startAtEpochMs: number, options: FlashSaleOptions): NewProduct {
  const opensAt = startAtEpochMs + options.listingSeconds * 1000;
  const runEnd = opensAt + (options.burstSeconds + options.tailSeconds) * 1000;
  return {
    sku: `flash-${runId}`,
    name: `Perf run ${runId}`,
    description: "Loaded by npm run perf: a flash sale with far more shoppers than units.",
    imageUrl: "https://example.com/perf.png",
    priceCents: 4_999,
    currency: "EUR",
    saleStartsAt: new Date(opensAt).toISOString(),
    saleEndsAt: new Date(runEnd + 60_000).toISOString(),
    perCustomerLimit: options.perCustomerLimit,
    shardCount: options.shards,
    units: options.units,
    ...(options.holdSeconds ? { checkout: "payment" as const, holdSeconds: options.holdSeconds } : {}),
  };
}

interface Intent {
  shopper: Shopper;
  body: string;
}

/** How often the storefront's sale page polls the availability feed (POLL_INTERVAL_MS in web/src/app/sale/catalog-poller.ts). */
export const STOREFRONT_FEED_POLL_MS = 2_000;

/**
 * Turns each scheduled slot into a shopper's request: before the opening mostly a waiting tab's poll of
 * the public availability feed, otherwise a signed-in listing poll or a purchase with a fresh UUID
 * idempotency key (one per intent). Before the opening the shoppers take turns, as each one's sale page
 * loads the listing; from the opening on a random shopper of the crowd acts, so per-customer limits bite.
 * A few purchases re-send an earlier intent unchanged, as a client retrying after a lost answer would.
 */
export function flashSaleExecutor(args: {
  client: HttpClient;
  shoppers: Shopper[];
  sku: string;
  options: FlashSaleOptions;
  phaseNames: string[];
  random?: () => number;
  /** Every purchase answered 201 (a new order), with its body: held checkout schedules the payment here. */
  onCreated?: (body: string, shopper: Shopper) => void;
}): Execute {
  const { client, shoppers, sku, options } = args;
  const random = args.random ?? Math.random;
  const recent: Intent[] = [];
  const auth = (shopper: Shopper) => ({ authorization: `Bearer ${shopper.accessToken}` });
  const feedShare = options.feedRate / (options.feedRate + options.listingRate);
  let preSaleTurn = 0;
  return (_index, phase) => {
    const phaseName = args.phaseNames[phase] as (typeof PHASES)[number];
    if (phaseName === "pre-sale" && random() < feedShare) {
      return {
        kind: "feed",
        done: client.request("GET", "/availability", {}).then(
          (r) => outcomeLabel("feed", r),
          (e: unknown) => errorLabel("feed", e),
        ),
      };
    }
    const shopper =
      shoppers[phaseName === "pre-sale" ? preSaleTurn++ % shoppers.length : Math.floor(random() * shoppers.length)]!;
    if (random() >= (PURCHASE_SHARE[phaseName] ?? 0)) {
      return {
        kind: "listing",
        done: client.request("GET", "/products", auth(shopper)).then(
          (r) => outcomeLabel("listing", r),
          (e: unknown) => errorLabel("listing", e),
        ),
      };
    }
    if (phaseName !== "pre-sale" && recent.length > 0 && random() < options.replayShare) {
      const intent = recent[Math.floor(random() * recent.length)]!;
      return {
        kind: "replay",
        done: client.request("POST", "/purchases", auth(intent.shopper), intent.body).then(
          (r) => outcomeLabel("replay", r),
          (e: unknown) => errorLabel("replay", e),
        ),
      };
    }
    const quantity = options.perCustomerLimit >= 2 && random() < 0.2 ? 2 : 1;
    const body = JSON.stringify({ sku, quantity, idempotencyKey: randomUUID() });
    if (recent.length < 500) recent.push({ shopper, body });
    else recent[Math.floor(random() * recent.length)] = { shopper, body };
    return {
      kind: "purchase",
      done: client.request("POST", "/purchases", auth(shopper), body).then(
        (r) => {
          if (r.status === 201) args.onCreated?.(r.body, shopper);
          return outcomeLabel("purchase", r);
        },
        (e: unknown) => errorLabel("purchase", e),
      ),
    };
  };
}
