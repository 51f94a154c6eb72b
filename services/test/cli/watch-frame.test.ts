import { frameOf, renderFrame } from "../../src/cli/commands/watch-frame";
import { EMPTY_TALLY } from "../../src/domain/sales-tally";
import type { WatchedProduct } from "../../src/store/sales-watch";

/** The frame `stock watch` prints, from two reads of the table: pure, no engine. */

const product = (sku: string, confirmedOrders: number, extra: Partial<WatchedProduct> = {}): WatchedProduct => ({
  sku,
  name: sku,
  loaded: 100,
  available: 100 - confirmedOrders - 5,
  held: 5,
  sold: confirmedOrders,
  soldOut: false,
  shards: [40, 50],
  tally: { ...EMPTY_TALLY, confirmedOrders, confirmedUnits: confirmedOrders, heldUnits: 5, heldOrders: 5 },
  ...extra,
});
const context = { at: new Date("2026-12-06T02:00:00Z"), table: "t", shards: false };

test("confirmed per second is the tally's growth over the window; a product new in the later read counts from 0", () => {
  const frame = frameOf([product("a", 10)], [product("a", 25), product("b", 3)], 1.5, context);

  expect(frame.products.map((row) => [row.sku, row.confirmedPerSecond])).toEqual([
    ["a", 10],
    ["b", 2],
  ]);
  expect(frame.products[0]).toMatchObject({ held: 5, sold: 25, available: 70, heldOrders: 5, confirmedUnits: 25 });
  expect(frame.products[0]).not.toHaveProperty("heldUnits");
});

test("shards are in the frame only when asked for", () => {
  expect(frameOf([], [product("a", 1)], 1, context).products[0]).not.toHaveProperty("shards");
  expect(frameOf([], [product("a", 1)], 1, { ...context, shards: true }).products[0]?.shards).toEqual([40, 50]);
});

test("the terminal frame shows refusals by code, or n/a where they are unknown", () => {
  const base = frameOf([], [product("a", 1)], 1, { ...context, shards: true });

  const known = renderFrame({ ...base, refusals: { SOLD_OUT: 7, LIMIT_EXCEEDED: 2 }, errors: 1 });
  const unknown = renderFrame({ ...base, refusals: null, errors: null, note: "why" });

  expect(known).toContain("Refusals: SOLD_OUT 7, LIMIT_EXCEEDED 2   Errors: 1");
  expect(known).toContain("a shards: 40 50");
  expect(unknown).toContain("Refusals: n/a   Errors: n/a\nwhy");
});
