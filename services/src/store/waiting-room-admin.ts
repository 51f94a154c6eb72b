import { UpdateCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { admissionClock, admittedPlaces } from "../domain/admission";
import { JOIN_COUNTER_SHARDS } from "../domain/waiting-room";
import { readJoinCounts } from "./admission-store";
import { toProduct } from "./items";
import { productKey } from "./keys";
import { getProductItem } from "./merchandising";
import { readCatalogItems } from "./stock-admin";

/** A waiting room as the merchandiser sees it (`npm run stock -- status` / `waiting-room`). */
export interface WaitingRoomStatus {
  sku: string;
  enabled: boolean;
  /** Shoppers admitted per second, and whether that is the default from the shards' capacity. */
  rate: number;
  rateIsDefault: boolean;
  joined: number;
  joinedBeforeOpening: number;
  /** Places the admission clock has passed (all of them once the line is through). */
  admitted: number;
  /** Joined and not yet admitted; 0 once sold out or closed (they have been told). */
  waiting: number;
  state: "before opening" | "admitting" | "line through" | "sold out" | "closed";
}

/** Join counts come from the 16 counter items of each product's current sale: no scan. */
export async function readWaitingRooms(
  doc: DynamoDBDocumentClient,
  tableName: string,
  sku?: string,
  now = Date.now(),
): Promise<Map<string, WaitingRoomStatus>> {
  const items = [...(await readCatalogItems(doc, tableName)).values()].filter(
    (item) => item.waitingRoom === true && (sku === undefined || item.sku === sku),
  );
  const rooms = new Map<string, WaitingRoomStatus>();
  for (const item of items) rooms.set(String(item.sku), await waitingRoomOf(doc, tableName, item, now));
  return rooms;
}

/** One product's waiting room, from its catalog item and its join counter items. */
export async function waitingRoomOf(
  doc: DynamoDBDocumentClient,
  tableName: string,
  item: Record<string, unknown>,
  now: number,
): Promise<WaitingRoomStatus> {
  const product = toProduct(item);
  const counts = await readJoinCounts(doc, tableName, product.sku, product.saleStartsAt, JOIN_COUNTER_SHARDS);
  const clock = admissionClock(product);
  const joined = counts.early + counts.late;
  const admitted = Math.min(joined, Math.floor(admittedPlaces(clock, now)));
  const closed = now >= Date.parse(product.saleEndsAt);
  const state = product.soldOut
    ? "sold out"
    : closed
      ? "closed"
      : now < clock.opensAt
        ? "before opening"
        : admitted < joined
          ? "admitting"
          : "line through";
  return {
    sku: product.sku,
    enabled: product.waitingRoom,
    rate: clock.rate,
    rateIsDefault: product.admissionRate === undefined,
    joined,
    joinedBeforeOpening: counts.early,
    admitted,
    waiting: product.soldOut || closed ? 0 : joined - admitted,
    state,
  };
}

export interface WaitingRoomChange {
  enabled?: boolean;
  /** Shoppers per second, or "default" for the shards' capacity. */
  rate?: number | "default";
}

/**
 * Turns a product's waiting room on or off and sets its admission rate. A rate changed while the sale
 * is open continues from the places already admitted (`admissionBase`), so nobody admitted is un-admitted.
 */
export async function setWaitingRoom(
  doc: DynamoDBDocumentClient,
  tableName: string,
  sku: string,
  change: WaitingRoomChange,
  now = Date.now(),
): Promise<{ before: WaitingRoomStatus; after: WaitingRoomStatus }> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await changeWaitingRoom(doc, tableName, sku, change, now);
    } catch (error) {
      // A reshard changed the shard count since the read: read again (a few times) rather than fail.
      if ((error as Error).name !== "ConditionalCheckFailedException" || attempt >= 5) throw error;
    }
  }
}

async function changeWaitingRoom(
  doc: DynamoDBDocumentClient,
  tableName: string,
  sku: string,
  change: WaitingRoomChange,
  now: number,
): Promise<{ before: WaitingRoomStatus; after: WaitingRoomStatus }> {
  const item = await getProductItem(doc, tableName, sku);
  if (!item) throw new Error(`no product '${sku}'`);
  const before = await waitingRoomOf(doc, tableName, { ...item, waitingRoom: true }, now);
  const product = toProduct(item);
  const sets: string[] = [];
  const removes: string[] = [];
  const values: Record<string, unknown> = {};
  if (change.enabled !== undefined) {
    sets.push("waitingRoom = :enabled");
    values[":enabled"] = change.enabled;
  }
  if (change.rate !== undefined) {
    if (change.rate === "default") removes.push("admissionRate");
    else {
      sets.push("admissionRate = :rate");
      values[":rate"] = change.rate;
    }
    if (now >= Date.parse(product.saleStartsAt)) {
      sets.push("admissionBase = :base");
      values[":base"] = { at: new Date(now).toISOString(), admitted: admittedPlaces(admissionClock(product), now) };
    }
  }
  if (sets.length === 0 && removes.length === 0)
    return { before: { ...before, enabled: product.waitingRoom }, after: { ...before, enabled: product.waitingRoom } };
  const { Attributes } = await doc.send(
    new UpdateCommand({
      TableName: tableName,
      Key: productKey(sku),
      UpdateExpression: [
        sets.length ? `SET ${sets.join(", ")}` : "",
        removes.length ? `REMOVE ${removes.join(", ")}` : "",
      ]
        .join(" ")
        .trim(),
      // The admission base was computed from the rate read; a reshard since changed a default rate (and its
      // base): on condition of the shard count, or this base would count the line at the wrong rate.
      ConditionExpression: "shardCount = :shards",
      ExpressionAttributeValues: { ...values, ":shards": item.shardCount },
      ReturnValues: "ALL_NEW",
    }),
  );
  const after = await waitingRoomOf(doc, tableName, Attributes ?? item, now);
  return { before: { ...before, enabled: product.waitingRoom }, after };
}
