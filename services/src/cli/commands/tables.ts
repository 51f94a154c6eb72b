import type { readStockStatus } from "../../store/stock-admin";
import type { WaitingRoomStatus } from "../../store/waiting-room-admin";

/** The status table of `status`, with a warning per product flagged sold out while its shards hold units. */
export function printStatus(rows: Awaited<ReturnType<typeof readStockStatus>>, table: string): void {
  if (rows.length === 0) {
    process.stdout.write(`No products in table ${table}. Load some with: npm run stock -- load <catalog.json>\n`);
    return;
  }
  const header = ["sku", "loaded", "sold", "held", "available", "orders", "state", "shards"];
  const state = (row: (typeof rows)[number]) => {
    const now = Date.now();
    if (row.soldOut) return row.available === 0 ? "sold out (flagged)" : "FLAGGED SOLD OUT, units left";
    if (row.available === 0) return "sold out (not yet flagged)";
    if (now < Date.parse(row.saleStartsAt)) return "upcoming";
    return now >= Date.parse(row.saleEndsAt) ? "ended" : "on sale";
  };
  const lines = rows.map((row) => [
    row.sku,
    String(row.loaded),
    String(row.sold),
    String(row.held),
    String(row.available),
    String(row.orders),
    state(row),
    row.shards.join(" "),
  ]);
  const widths = header.map((name, i) => Math.max(name.length, ...lines.map((line) => line[i]!.length)));
  const format = (cells: string[]) =>
    cells
      .map((cell, i) => (i === 0 || i >= 6 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
      .join("  ")
      .trimEnd();
  process.stdout.write(`Table ${table}\n${format(header)}\n${lines.map(format).join("\n")}\n`);
  for (const row of rows.filter((candidate) => candidate.soldOut && candidate.available > 0)) {
    process.stdout.write(
      `! ${row.sku} is flagged sold out in the catalog but its shards hold ${row.available} units: shoppers are told it is sold out and cannot buy them. ` +
        `Adding units clears the flag: npm run stock -- add ${row.sku} <units>\n`,
    );
  }
}

/** The waiting-room table of `status` and `waiting-room`. */
export function printWaitingRooms(rooms: WaitingRoomStatus[], headline?: string): void {
  if (headline) process.stdout.write(`${headline}\n`);
  if (rooms.length === 0) return;
  const header = ["waiting room", "on", "rate/s", "joined", "admitted", "waiting", "state"];
  const lines = rooms.map((room) => [
    room.sku,
    room.enabled ? "yes" : "no",
    `${Number(room.rate.toFixed(3))}${room.rateIsDefault ? " (default)" : ""}`,
    String(room.joined),
    String(room.admitted),
    String(room.waiting),
    room.state,
  ]);
  const widths = header.map((name, i) => Math.max(name.length, ...lines.map((line) => line[i]!.length)));
  const format = (cells: string[]) =>
    cells
      .map((cell, i) => (i === 0 || i === 6 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
      .join("  ")
      .trimEnd();
  process.stdout.write(`${format(header)}\n${lines.map(format).join("\n")}\n`);
}
