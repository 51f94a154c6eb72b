/** Spreads units over shards as evenly as whole numbers allow (the first shards take the remainder). */
export function splitEvenly(units: number, shards: number): number[] {
  const base = Math.floor(units / shards);
  const remainder = units % shards;
  return Array.from({ length: shards }, (_, shard) => base + (shard < remainder ? 1 : 0));
}
