import { type PurchaseWrite, Shop, type ShopStore } from "@flash-sale/services/domain";

export interface DriveOptions {
  store: ShopStore;
  sku: string;
  shoppers: number;
  /** Containers (Lambda environments), each one Shop serving one purchase at a time. */
  containers: number;
  clock: () => number;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
}

export interface DriveResult {
  confirmed: number;
  /** From the first purchase sent to the last confirmation (ms). */
  sellOutMs: number;
  confirmedPerSecond: number;
  /** Purchase transactions sent per confirmed purchase. */
  attemptsPerPurchase: number;
}

/**
 * The validation's sale, the same code on either engine: `containers` Shops over one store, each taking
 * the next shopper as soon as it is free; a shopper answered TRY_AGAIN waits its Retry-After (1 s) and
 * sends again, up to the storefront's 4 sends.
 */
export async function driveSale(options: DriveOptions): Promise<DriveResult> {
  const { clock } = options;
  let writes = 0;
  const counted: ShopStore = Object.create(options.store);
  counted.writePurchase = (write: PurchaseWrite) => {
    writes++;
    return options.store.writePurchase(write);
  };
  let next = 0;
  let confirmed = 0;
  let lastAt = 0;
  let ids = 0;
  const started = clock();
  const container = async () => {
    const shop = new Shop(counted, {
      clock,
      sleep: options.sleep,
      random: options.random,
      newRequestId: () => `v${ids++}-${started}`,
    });
    while (next < options.shoppers) {
      const index = next++;
      const request = {
        // Each sale's own shoppers and keys: a key reused from an earlier sale would be IDEMPOTENCY_KEY_REUSED.
        shopper: `${options.sku}-${index}`,
        sku: options.sku,
        quantity: 1,
        idempotencyKey: `${options.sku}-${String(index).padStart(8, "0")}`.slice(-64),
      };
      for (let send = 1; send <= 4; send++) {
        const result = await shop.purchase(request);
        if (result.ok) {
          confirmed++;
          lastAt = clock();
        }
        if (result.ok || result.code !== "TRY_AGAIN") break;
        await options.sleep(1_000);
      }
    }
  };
  await Promise.all(Array.from({ length: options.containers }, container));
  const sellOutMs = lastAt - started;
  return {
    confirmed,
    sellOutMs,
    confirmedPerSecond: sellOutMs > 0 ? (confirmed * 1_000) / sellOutMs : 0,
    attemptsPerPurchase: confirmed > 0 ? writes / confirmed : 0,
  };
}
