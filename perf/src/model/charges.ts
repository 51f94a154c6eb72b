import { TABLE_KEY } from "@flash-sale/services/store";

/** DynamoDB JSON attribute values (the wire format the proxy sees). */
type AttributeValue = Record<string, unknown>;
type Item = Record<string, AttributeValue>;

export interface ItemCharge {
  /** Partition key value the write lands on. */
  partition: string;
  /** Item identity (partition + sort key) for conflict detection. */
  item: string;
  units: number;
}

export type WriteCharge =
  | { kind: "none" }
  | { kind: "single"; items: ItemCharge[] }
  | { kind: "transaction"; items: ItemCharge[] }
  | { kind: "batch"; items: ItemCharge[] };

/** Rough DynamoDB item size: attribute names plus values (strings in UTF-8, numbers ~1 byte per 2 digits). */
export function itemSize(item: Item | undefined): number {
  if (!item) return 0;
  return Object.entries(item).reduce((sum, [name, value]) => sum + Buffer.byteLength(name) + valueSize(value), 0);
}

function valueSize(value: AttributeValue): number {
  if ("S" in value) return Buffer.byteLength(String(value.S));
  if ("N" in value) return Math.ceil(String(value.N).replace(/^-/, "").length / 2) + 1;
  if ("B" in value) return Buffer.byteLength(String(value.B), "base64");
  if ("BOOL" in value || "NULL" in value) return 1;
  if ("M" in value) return 3 + itemSize(value.M as Item);
  if ("L" in value) return 3 + (value.L as AttributeValue[]).reduce((sum, v) => sum + 1 + valueSize(v), 0);
  if ("SS" in value) return (value.SS as string[]).reduce((sum, s) => sum + Buffer.byteLength(s), 0);
  if ("NS" in value) return (value.NS as string[]).reduce((sum, n) => sum + Math.ceil(n.length / 2) + 1, 0);
  return 1;
}

const keyString = (key: Item | undefined) =>
  String(key?.[TABLE_KEY.partition]?.S ?? key?.[TABLE_KEY.partition]?.N ?? "");
const itemId = (key: Item | undefined) =>
  `${keyString(key)}\u0000${String(key?.[TABLE_KEY.sort]?.S ?? key?.[TABLE_KEY.sort]?.N ?? "")}`;

/**
 * Write units an item write costs: 1 per started KB, doubled inside a transaction (AWS documentation).
 * For updates only the key and new values are visible here, so an update of a small item costs 1.
 */
function charge(action: { Item?: Item; Key?: Item; ExpressionAttributeValues?: Item }, multiplier: number): ItemCharge {
  const key = action.Key ?? action.Item;
  const size = action.Item ? itemSize(action.Item) : itemSize(action.Key) + itemSize(action.ExpressionAttributeValues);
  return { partition: keyString(key), item: itemId(key), units: Math.max(1, Math.ceil(size / 1024)) * multiplier };
}

/** What a DynamoDB JSON-protocol request (X-Amz-Target) costs in write units, per partition it touches. */
export function writeCharge(target: string, body: Record<string, unknown>): WriteCharge {
  const operation = target.split(".").pop() ?? "";
  switch (operation) {
    case "PutItem":
    case "UpdateItem":
    case "DeleteItem":
      return { kind: "single", items: [charge(body as never, 1)] };
    case "TransactWriteItems": {
      const items = (body.TransactItems as Array<Record<string, Record<string, unknown>>> | undefined) ?? [];
      return {
        kind: "transaction",
        items: items.map((entry) => {
          const action = entry.Put ?? entry.Update ?? entry.Delete ?? entry.ConditionCheck ?? {};
          return charge(action as never, 2);
        }),
      };
    }
    case "BatchWriteItem": {
      const tables =
        (body.RequestItems as
          | Record<string, Array<{ PutRequest?: { Item: Item }; DeleteRequest?: { Key: Item } }>>
          | undefined) ?? {};
      return {
        kind: "batch",
        items: Object.values(tables).flatMap((requests) =>
          requests.map((r) => charge(r.PutRequest ? { Item: r.PutRequest.Item } : { Key: r.DeleteRequest?.Key }, 1)),
        ),
      };
    }
    default:
      return { kind: "none" };
  }
}
