import { Shop, type ShopOptions } from "./domain/shop";
import { createDocumentClient, SHOPPER_TIMEOUTS, type DynamoSettings } from "./store/client";
import { DynamoShopStore } from "./store/dynamo-store";

/** Wires the shop to DynamoDB. Handlers call this once per container, at module load. */
export function createShop(settings: DynamoSettings, options: ShopOptions = {}): Shop {
  return new Shop(new DynamoShopStore(createDocumentClient(settings, SHOPPER_TIMEOUTS), settings.tableName), options);
}
