import type { SalesTally } from "../../domain/sales-tally";
import type { WatchedProduct } from "../../store/sales-watch";

/** One frame of `npm run stock -- watch`, as `--json` prints it and the terminal view draws it. */
export interface WatchFrame {
  at: string;
  table: string;
  /** The window `confirmedPerSecond` is measured over. */
  seconds: number;
  products: WatchedRow[];
  /** Purchases refused by code (SOLD_OUT, LIMIT_EXCEEDED, …) and errors (503 TRY_AGAIN, 500s): null where unknown. */
  refusals: Record<string, number> | null;
  errors: number | null;
  /** Why refusals and errors are null, when they are. */
  note?: string;
}

/** A product in a frame: its counts and its tally (held units are `held`), confirmed per second, shards on request. */
export type WatchedRow = Omit<WatchedProduct, "tally" | "shards"> &
  Omit<SalesTally, "heldUnits"> & {
    confirmedPerSecond: number;
    /** Units per stock shard (with --shards). */
    shards?: number[];
  };

/**
 * A frame from two reads `seconds` apart: the counts of the later one, confirmed per second from the tally's
 * growth between them (a product absent from the earlier read counts from 0).
 */
export function frameOf(
  before: readonly WatchedProduct[],
  after: readonly WatchedProduct[],
  seconds: number,
  context: { at: Date; table: string; shards: boolean },
): Omit<WatchFrame, "refusals" | "errors" | "note"> {
  const earlier = new Map(before.map((product) => [product.sku, product.tally.confirmedOrders]));
  return {
    at: context.at.toISOString(),
    table: context.table,
    seconds,
    products: after.map(({ tally: { heldUnits: _, ...tally }, shards, ...product }) => ({
      ...product,
      confirmedPerSecond: Math.round(((tally.confirmedOrders - (earlier.get(product.sku) ?? 0)) / seconds) * 10) / 10,
      ...tally,
      ...(context.shards ? { shards } : {}),
    })),
  };
}

const HEADER = [
  "sku",
  "confirmed/s",
  "confirmed",
  "held",
  "available",
  "sold",
  "loaded",
  "expired",
  "cancelled",
  "refunded",
  "line: joined",
  "admitted",
  "waiting",
];

/** The frame as the terminal shows it: a table of products, then refusals and errors. */
export function renderFrame(frame: WatchFrame): string {
  const rows = frame.products.map((row) => [
    row.sku,
    row.confirmedPerSecond.toFixed(1),
    String(row.confirmedOrders),
    String(row.held),
    String(row.available),
    String(row.sold),
    String(row.loaded),
    String(row.expiredOrders),
    String(row.cancelledOrders),
    String(row.refundedOrders),
    row.waitingRoom ? String(row.waitingRoom.joined) : "-",
    row.waitingRoom ? String(row.waitingRoom.admitted) : "-",
    row.waitingRoom ? String(row.waitingRoom.waiting) : "-",
  ]);
  const widths = HEADER.map((name, i) => Math.max(name.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
      .join("  ")
      .trimEnd();
  const shardLines = frame.products
    .filter((row) => row.shards)
    .map((row) => `  ${row.sku} shards: ${row.shards!.join(" ")}`);
  const refusals =
    frame.refusals === null
      ? "n/a"
      : Object.entries(frame.refusals)
          .map(([code, count]) => `${code} ${count}`)
          .join(", ") || "none";
  return [
    `Table ${frame.table}   ${frame.at}`,
    "",
    line(HEADER),
    ...(rows.length ? rows.map(line) : ["(no products)"]),
    ...(shardLines.length ? ["", ...shardLines] : []),
    "",
    `Refusals: ${refusals}   Errors: ${frame.errors ?? "n/a"}`,
    ...(frame.note ? [frame.note] : []),
  ].join("\n");
}
