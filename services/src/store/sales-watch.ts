import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { SalesTally } from "../domain/sales-tally";
import { DynamoShopStore } from "./dynamo-store";
import { readSalesTallies } from "./sales-tally";
import { readCatalogItems } from "./stock-admin";
import { waitingRoomOf, type WaitingRoomStatus } from "./waiting-room-admin";

/** One product in one frame of `npm run stock -- watch`: read by key, never by scanning orders. */
export interface WatchedProduct {
  sku: string;
  name: string;
  loaded: number;
  /** Sum of the stock shards (strongly consistent reads). */
  available: number;
  /** Units in PENDING_PAYMENT orders, from the tally. */
  held: number;
  /** loaded - available - held, as `stock status` counts it. */
  sold: number;
  soldOut: boolean;
  shards: number[];
  tally: SalesTally;
  waitingRoom?: Pick<WaitingRoomStatus, "joined" | "admitted" | "waiting" | "state" | "rate">;
}

/**
 * What the live view reads each second: the catalog (one Query), every product's stock shards and its 16 tally
 * items (BatchGetItem), and for products with a waiting room its 16 join counters (BatchGetItem).
 */
export async function readWatchedProducts(
  doc: DynamoDBDocumentClient,
  tableName: string,
  sku?: string,
  now = Date.now(),
): Promise<WatchedProduct[]> {
  const catalog = [...(await readCatalogItems(doc, tableName)).values()].filter(
    (item) => sku === undefined || item.sku === sku,
  );
  const skus = catalog.map((item) => String(item.sku));
  const [shardUnits, tallies, rooms] = await Promise.all([
    new DynamoShopStore(doc, tableName).readShardUnits(
      catalog.map((item) => ({ sku: String(item.sku), shardCount: Number(item.shardCount) })),
    ),
    readSalesTallies(doc, tableName, skus),
    Promise.all(
      catalog.map((item) => (item.waitingRoom === true ? waitingRoomOf(doc, tableName, item, now) : undefined)),
    ),
  ]);
  return catalog.map((item, i) => {
    const shards = shardUnits.get(skus[i]!) ?? [];
    const tally = tallies.get(skus[i]!)!;
    const available = shards.reduce((sum, units) => sum + units, 0);
    const loaded = Number(item.loadedUnits);
    const room = rooms[i];
    return {
      sku: skus[i]!,
      name: String(item.name),
      loaded,
      available,
      held: tally.heldUnits,
      sold: loaded - available - tally.heldUnits,
      soldOut: item.soldOut === true,
      shards,
      tally,
      ...(room
        ? {
            waitingRoom: {
              joined: room.joined,
              admitted: room.admitted,
              waiting: room.waiting,
              state: room.state,
              rate: room.rate,
            },
          }
        : {}),
    };
  });
}
