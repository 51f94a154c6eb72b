import { planCapacity } from "@flash-sale/services/contract";
import { type FlashSaleOptions, STOREFRONT_FEED_POLL_MS } from "../scenario/flash-sale";
import type { RunOptions } from "./options";

/**
 * The scenario from the options. `engineRate` (DynamoDB Local's measured purchase-shaped transactions/s,
 * local runs) sizes what is left at 0: the burst at `overload` times it, and the stock to last through
 * 70% of the burst at that rate, so confirmed purchases/s measure the platform under overload. Ranges
 * and choices are checked by the option specs.
 */
/** The hold of `--checkout` runs. */
export const CHECKOUT_HOLD_SECONDS = 30;

/** Local default stock: the engine's rate for this share of the burst, so it sells out at ≥ 0.7 of the engine. */
export const BURST_STOCK_SHARE = 0.7;

export function scenarioOf(options: RunOptions, engineRate?: number): FlashSaleOptions {
  const profile = options.profile as FlashSaleOptions["profile"];
  const burstSeconds = options["burst-seconds"];
  const burstRate =
    options["burst-rate"] > 0 ? options["burst-rate"] : engineRate ? Math.round(options.overload * engineRate) : 150;
  // The burst must be able to sell out: the ratio is measured over the seconds it sells, and stock it leaves
  // spills into a tail that offers only a trickle.
  const units =
    options.units > 0 ? options.units : engineRate ? Math.round(engineRate * burstSeconds * BURST_STOCK_SHARE) : 200;
  const shoppers = options.shoppers;
  const listingSeconds = options["listing-seconds"];
  return {
    shoppers,
    units,
    perCustomerLimit: options.limit > 0 ? options.limit : Math.max(2, Math.ceil((2 * units) / shoppers)),
    shards: options.shards > 0 ? options.shards : planCapacity(burstRate).shards,
    listingRate: options["listing-rate"] > 0 ? options["listing-rate"] : Math.ceil(shoppers / listingSeconds),
    feedRate:
      options["feed-rate"] > 0
        ? options["feed-rate"]
        : Math.round((options.connections * 1000) / STOREFRONT_FEED_POLL_MS),
    listingSeconds,
    burstRate,
    burstSeconds,
    profile,
    tailRate: options["tail-rate"],
    // Held checkout: shoppers keep trying past the first holds' expiry, so returned units can sell again.
    tailSeconds: options.checkout
      ? Math.max(options["tail-seconds"], CHECKOUT_HOLD_SECONDS + 10)
      : options["tail-seconds"],
    replayShare: options["replay-share"],
    ...(options.checkout ? { holdSeconds: CHECKOUT_HOLD_SECONDS } : {}),
  };
}
