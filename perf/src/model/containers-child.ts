/**
 * Hosts shop instances ("Lambda containers") for `model` in their own process: the generator sends
 * purchase requests over IPC and gets outcome labels back, so the purchase engine's CPU (SDK calls,
 * retries) never stalls the generator's schedule.
 */
import { createShop } from "@flash-sale/services/app";
import { PURCHASE_ERROR_STATUS } from "@flash-sale/services/http";

interface Settings {
  tableName: string;
  region: string;
  endpoint: string;
  shops: number;
}

const settings = JSON.parse(process.env.PERF_CONTAINER_SETTINGS ?? "{}") as Settings;
const shops = Array.from({ length: settings.shops }, () =>
  createShop({ tableName: settings.tableName, region: settings.region, endpoint: settings.endpoint }),
);
let next = 0;

process.on("message", (message: { id: number; op: "purchase" | "warm"; shopper: string; sku: string; key: string }) => {
  if (message.op === "warm") {
    void Promise.all(shops.map((shop) => shop.getProduct(message.sku))).then(() =>
      process.send?.({ id: message.id, label: "warm" }),
    );
    return;
  }
  const shop = shops[next++ % shops.length]!;
  shop.purchase({ shopper: message.shopper, sku: message.sku, quantity: 1, idempotencyKey: message.key }).then(
    (result) =>
      process.send?.({
        id: message.id,
        label: result.ok
          ? `purchase ${result.replayed ? 200 : 201}`
          : `purchase ${PURCHASE_ERROR_STATUS[result.code]} ${result.code}`,
      }),
    (error: unknown) => process.send?.({ id: message.id, label: `purchase ERR ${(error as Error).name}` }),
  );
});
process.on("disconnect", () => process.exit(0));
process.send?.({ ready: true });
