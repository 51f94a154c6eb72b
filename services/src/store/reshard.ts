import { DeleteCommand, TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { admissionClock, admittedPlaces } from "../domain/admission";
import { splitEvenly } from "../domain/stock-split";
import { transactionItemLimit } from "./client";
import { DynamoShopStore } from "./dynamo-store";
import { toProduct } from "./items";
import { productKey, shardKey } from "./keys";
import { getProductItem } from "./merchandising";

type TransactItem = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]["TransactItems"]>[number];

/** Rounds of moves before a reshard that keeps meeting purchases or other merchandiser writes gives up. */
const MAX_ROUNDS = 25;

export interface ReshardResult {
  before: number[];
  after: number[];
  /** Transactions it took: 1 when every shard and the catalog item fit in one. */
  transactions: number;
}

/**
 * Spreads a product's available units evenly over a new number of shards, keeping the total.
 *
 * When every shard (old and new) and the catalog item fit in one transaction of the engine, it is ONE
 * transaction, every old shard conditioned on still holding what was read: a purchase or an add landing
 * meanwhile makes it read and try again.
 *
 * Otherwise (more shards than the engine's transaction holds: 9 on the bundled DynamoDB Local) it goes in
 * steps that are each one transaction and each keep sold + held + available = loaded with every unit in a
 * live shard, so a stop between two steps leaves a sound product and running it again finishes the job:
 * 1. growing: the new shards are created empty and the shard count raised (the new shards are live before
 *    any unit moves into them);
 * 2. moves of units from fuller to emptier shards, each conditioned on the shard count and on its source
 *    shards still holding the units it moves (a purchase meanwhile makes it read again);
 * 3. shrinking: once the retired shards are read empty, the shard count is lowered on condition that no
 *    write that could add units to a shard (add, load, a returned hold or refund, another reshard's move)
 *    happened since that read (`loadedUnits`, `returnedUnits`, `stockMoves` unchanged).
 */
export async function reshard(
  doc: DynamoDBDocumentClient,
  tableName: string,
  sku: string,
  shardCount: number,
): Promise<ReshardResult> {
  const limit = transactionItemLimit(doc);
  let transactions = 0;
  let before: number[] | undefined;
  for (let round = 1; round <= MAX_ROUNDS; round++) {
    const product = await getProductItem(doc, tableName, sku);
    if (!product) throw new Error(`${sku}: no such product`);
    const count = Number(product.shardCount);
    const span = Math.max(count, shardCount);
    const units = await shardUnits(doc, tableName, sku, span);
    before ??= units.slice(0, count);
    const total = units.reduce((sum, shardUnits) => sum + shardUnits, 0);
    const target = [...splitEvenly(total, shardCount), ...new Array<number>(span - shardCount).fill(0)];

    if (span + 1 <= limit) {
      transactions++;
      if (await oneTransaction(doc, tableName, product, units, target, shardCount))
        return { before, after: target.slice(0, shardCount), transactions };
      continue;
    }
    if (shardCount > count) {
      transactions++;
      await setShardCount(doc, tableName, product, shardCount, "grow");
      continue;
    }
    const moves = movesBetween(units, target);
    if (moves.length === 0) {
      if (shardCount < count) {
        transactions++;
        if (!(await setShardCount(doc, tableName, product, shardCount, "shrink"))) continue;
        await retireEmpty(doc, tableName, sku, shardCount, count);
      }
      return { before, after: target.slice(0, shardCount), transactions };
    }
    for (const group of groups(moves, limit - 1)) {
      transactions++;
      if (!(await move(doc, tableName, sku, count, group))) break;
    }
  }
  throw new Error(
    `${sku}: reshard to ${shardCount} gave way ${MAX_ROUNDS} times to purchases or other writes; what it did is sound ` +
      "(every unit in a live shard, totals kept): see `status`, and run it again",
  );
}

async function shardUnits(doc: DynamoDBDocumentClient, tableName: string, sku: string, span: number) {
  return (await new DynamoShopStore(doc, tableName).readShardUnits([{ sku, shardCount: span }])).get(sku) ?? [];
}

/** Every shard set to its target and the count changed in one transaction; false when anything moved since the read. */
async function oneTransaction(
  doc: DynamoDBDocumentClient,
  tableName: string,
  product: Record<string, unknown>,
  units: number[],
  target: number[],
  shardCount: number,
): Promise<boolean> {
  const sku = String(product.sku);
  const count = Number(product.shardCount);
  const kept = admissionKept(product);
  const items: TransactItem[] = units.map((old, shard) => {
    // A shard beyond the live count is read as 0 whether it exists or not: condition on exactly that.
    const condition =
      shard < count
        ? { ConditionExpression: "#u = :old" }
        : { ConditionExpression: "attribute_not_exists(pk) OR #u = :old" };
    if (shard >= shardCount)
      return {
        Delete: {
          TableName: tableName,
          Key: shardKey(sku, shard),
          ...condition,
          ExpressionAttributeNames: { "#u": "units" },
          ExpressionAttributeValues: { ":old": old },
        },
      };
    return {
      Update: {
        TableName: tableName,
        Key: shardKey(sku, shard),
        UpdateExpression: "SET #u = :next, #type = :stock",
        ...condition,
        ExpressionAttributeNames: { "#u": "units", "#type": "type" },
        ExpressionAttributeValues: { ":next": target[shard], ":stock": "STOCK", ":old": old },
      },
    };
  });
  try {
    await doc.send(
      new TransactWriteCommand({
        TransactItems: [
          ...items,
          {
            Update: {
              TableName: tableName,
              Key: productKey(sku),
              UpdateExpression: `SET shardCount = :next${kept?.set ?? ""} ADD stockMoves :one`,
              ConditionExpression: `shardCount = :old${kept?.condition ?? ""}`,
              ExpressionAttributeValues: { ":next": shardCount, ":old": count, ":one": 1, ...kept?.values },
            },
          },
        ],
      }),
    );
    return true;
  } catch (error) {
    if ((error as Error).name === "TransactionCanceledException") return false;
    throw error;
  }
}

/**
 * Raises the count (after creating the new shards empty, so a purchase never meets a live shard that is
 * missing) or lowers it (the retired shards were read empty; the condition says nothing could have added
 * to them since). False when the condition failed.
 */
async function setShardCount(
  doc: DynamoDBDocumentClient,
  tableName: string,
  product: Record<string, unknown>,
  shardCount: number,
  how: "grow" | "shrink",
): Promise<boolean> {
  const sku = String(product.sku);
  const count = Number(product.shardCount);
  if (how === "grow") {
    for (let shard = count; shard < shardCount; shard++) {
      await doc.send(
        new UpdateCommand({
          TableName: tableName,
          Key: shardKey(sku, shard),
          // A retired shard left behind holds 0 (a shrink only retires empty shards): it is reused as it is.
          UpdateExpression: "SET #type = :stock, #u = if_not_exists(#u, :zero)",
          ExpressionAttributeNames: { "#type": "type", "#u": "units" },
          ExpressionAttributeValues: { ":stock": "STOCK", ":zero": 0 },
        }),
      );
    }
  }
  const kept = admissionKept(product);
  try {
    await doc.send(
      new UpdateCommand({
        TableName: tableName,
        Key: productKey(sku),
        UpdateExpression: `SET shardCount = :next${kept?.set ?? ""} ADD stockMoves :one`,
        ConditionExpression:
          (how === "grow"
            ? "shardCount = :old"
            : "shardCount = :old AND loadedUnits = :loaded AND " +
              "(attribute_not_exists(returnedUnits) OR returnedUnits = :returned) AND " +
              "(attribute_not_exists(stockMoves) OR stockMoves = :moves)") + (kept?.condition ?? ""),
        ExpressionAttributeValues: {
          ...kept?.values,
          ":next": shardCount,
          ":old": count,
          ":one": 1,
          ...(how === "grow"
            ? {}
            : {
                ":loaded": product.loadedUnits,
                ":returned": product.returnedUnits ?? 0,
                ":moves": product.stockMoves ?? 0,
              }),
        },
      }),
    );
    return true;
  } catch (error) {
    if ((error as Error).name === "ConditionalCheckFailedException") return false;
    throw error;
  }
}

/** The retired shards (read empty before the count was lowered) go; one that somehow holds units stays, for `reconcile` to show. */
async function retireEmpty(doc: DynamoDBDocumentClient, tableName: string, sku: string, from: number, to: number) {
  for (let shard = from; shard < to; shard++) {
    try {
      await doc.send(
        new DeleteCommand({
          TableName: tableName,
          Key: shardKey(sku, shard),
          ConditionExpression: "attribute_not_exists(#u) OR #u = :zero",
          ExpressionAttributeNames: { "#u": "units" },
          ExpressionAttributeValues: { ":zero": 0 },
        }),
      );
    } catch (error) {
      if ((error as Error).name !== "ConditionalCheckFailedException") throw error;
    }
  }
}

/**
 * A waiting room's default admission rate follows the shard count (shardCount x 250/s). Changed while the
 * sale is open, the clock would jump (admitting a crowd at once, or un-admitting places already passed),
 * so the places admitted so far are kept as the base the new rate counts on from now, in the same write,
 * on condition that the rate is still the default. Undefined when there is nothing to keep.
 */
function admissionKept(
  product: Record<string, unknown>,
  now = Date.now(),
): { set: string; condition: string; values: Record<string, unknown> } | undefined {
  const current = toProduct(product);
  if (current.admissionRate !== undefined || now < Date.parse(current.saleStartsAt)) return undefined;
  return {
    set: ", admissionBase = :base",
    condition: " AND attribute_not_exists(admissionRate)",
    values: {
      ":base": { at: new Date(now).toISOString(), admitted: admittedPlaces(admissionClock(current), now) },
    },
  };
}

interface Move {
  from: number;
  to: number;
  units: number;
}

/** Units to move from shards above their target to shards below it, fewest moves first-fit. */
function movesBetween(units: number[], target: number[]): Move[] {
  const surplus = units.flatMap((u, shard) => (u > target[shard]! ? [{ shard, units: u - target[shard]! }] : []));
  const deficit = units.flatMap((u, shard) => (u < target[shard]! ? [{ shard, units: target[shard]! - u }] : []));
  const moves: Move[] = [];
  let i = 0;
  let j = 0;
  while (i < surplus.length && j < deficit.length) {
    const give = surplus[i]!;
    const take = deficit[j]!;
    const units = Math.min(give.units, take.units);
    moves.push({ from: give.shard, to: take.shard, units });
    give.units -= units;
    take.units -= units;
    if (give.units === 0) i++;
    if (take.units === 0) j++;
  }
  return moves;
}

/** Moves grouped so that each group touches at most `shards` shards (one transaction each). */
function groups(moves: Move[], shards: number): Move[][] {
  const result: Move[][] = [];
  let group: Move[] = [];
  let touched = new Set<number>();
  for (const move of moves) {
    const added = [move.from, move.to].filter((shard) => !touched.has(shard)).length;
    if (touched.size + added > shards) {
      result.push(group);
      group = [];
      touched = new Set();
    }
    group.push(move);
    touched.add(move.from);
    touched.add(move.to);
  }
  if (group.length > 0) result.push(group);
  return result;
}

/** One group of moves in one transaction, on condition of the shard count and of the sources' units. */
async function move(
  doc: DynamoDBDocumentClient,
  tableName: string,
  sku: string,
  count: number,
  group: Move[],
): Promise<boolean> {
  const change = new Map<number, number>();
  for (const { from, to, units } of group) {
    change.set(from, (change.get(from) ?? 0) - units);
    change.set(to, (change.get(to) ?? 0) + units);
  }
  const items: TransactItem[] = [...change].flatMap(([shard, delta]): TransactItem[] => {
    if (delta === 0) return [];
    return [
      {
        Update: {
          TableName: tableName,
          Key: shardKey(sku, shard),
          UpdateExpression: "ADD #u :delta",
          ...(delta < 0 ? { ConditionExpression: "#u >= :need" } : {}),
          ExpressionAttributeNames: { "#u": "units" },
          ExpressionAttributeValues: { ":delta": delta, ...(delta < 0 ? { ":need": -delta } : {}) },
        },
      },
    ];
  });
  try {
    await doc.send(
      new TransactWriteCommand({
        TransactItems: [
          ...items,
          {
            Update: {
              TableName: tableName,
              Key: productKey(sku),
              UpdateExpression: "ADD stockMoves :one",
              ConditionExpression: "shardCount = :count",
              ExpressionAttributeValues: { ":one": 1, ":count": count },
            },
          },
        ],
      }),
    );
    return true;
  } catch (error) {
    if ((error as Error).name === "TransactionCanceledException") return false;
    throw error;
  }
}
