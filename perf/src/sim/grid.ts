import type { DynamoRules, FrontRules } from "./rules";
import { type SaleResult, simulateSale } from "./sale";

export interface GridOptions {
  shoppers: number[];
  units: number[];
  shards: number[];
  arrivalSeconds: number;
  maxSeconds: number;
  seed: number;
  dynamo: DynamoRules;
  front: FrontRules;
}

/** Every combination of shoppers, units and shards, one sale each, in that order. */
export async function simulateGrid(options: GridOptions, onRow?: (row: SaleResult) => void): Promise<SaleResult[]> {
  const rows: SaleResult[] = [];
  for (const shoppers of options.shoppers)
    for (const units of options.units)
      for (const shards of options.shards) {
        const row = await simulateSale({ ...options, shoppers, units, shards });
        rows.push(row);
        onRow?.(row);
      }
  return rows;
}

export const GRID_HEADER = [
  "shoppers".padStart(9),
  "units".padStart(7),
  "shards".padStart(6),
  "sell-out s".padStart(10),
  "conf/s".padStart(7),
  "TRY_AGAIN".padStart(9),
  "429".padStart(6),
  "500".padStart(6),
  "p99 ms".padStart(6),
  "WCU/buy".padStart(7),
  "tx/buy".padStart(6),
  "conflicts".padStart(9),
  "gave up".padStart(7),
  "cost $".padStart(7),
  "$/M buys".padStart(8),
  "wall s".padStart(6),
].join(" ");

const pct = (part: number, whole: number) => `${((100 * part) / Math.max(1, whole)).toFixed(1)}%`;

export function gridLine(row: SaleResult): string {
  const { scenario: s, answers, answerCount } = row;
  return [
    String(s.shoppers).padStart(9),
    String(s.units).padStart(7),
    String(s.shards).padStart(6),
    (row.soldOut
      ? row.sellOutSeconds.toFixed(1)
      : Number.isFinite(row.sellOutSeconds)
        ? `~${row.sellOutSeconds.toFixed(0)}`
        : "never"
    ).padStart(10),
    row.confirmedPerSecond.toFixed(0).padStart(7),
    pct(answers.tryAgain, answerCount).padStart(9),
    pct(answers.throttled429, answerCount).padStart(6),
    pct(answers.error500, answerCount).padStart(6),
    String(row.p99Ms).padStart(6),
    row.writeUnitsPerPurchase.toFixed(1).padStart(7),
    row.attemptsPerPurchase.toFixed(1).padStart(6),
    pct(row.table.conflicts, row.table.transactions).padStart(9),
    String(row.gaveUp).padStart(7),
    // Projected sales: the simulated part's cost per unit times every unit.
    (
      (row.soldOut ? row.costUsd : (row.costUsd / Math.max(1, row.soldUnits)) * s.units).toFixed(2) +
      (row.soldOut ? "" : "~")
    ).padStart(7),
    (row.soldUnits > 0 ? (row.costUsd / row.soldUnits) * 1e6 : 0).toFixed(0).padStart(8),
    (row.wallMs / 1_000).toFixed(1).padStart(6),
  ].join(" ");
}
