import { readStockStatus } from "../../store/stock-admin";
import { readWaitingRooms } from "../../store/waiting-room-admin";
import { parseCommandLine } from "../kit";
import { connect, TARGET_HELP, TARGET_OPTIONS } from "../target";
import type { StockCommand } from "./command";
import { printStatus, printWaitingRooms } from "./tables";

const OPTIONS = {
  json: { type: "boolean", default: false, help: "print JSON instead of a table" },
  ...TARGET_OPTIONS,
} as const;

export const status: StockCommand = {
  help: `Usage: npm run stock -- status [sku] [--json] [target options]

Per product: units loaded, sold (confirmed), held (waiting for payment), available, per-shard units and orders. Counting orders
scans the table: cheap locally, a full-table read on a deployed table. Products with a waiting room
also show its rate and shoppers joined, admitted and waiting (from 16 counter items, no scan).
  --json   print JSON instead of a table
${TARGET_HELP}`,
  async run(argv) {
    const { values, positionals } = parseCommandLine(argv, OPTIONS, { positionals: true });
    const sku = positionals[0];
    const target = connect(values);
    const rows = await readStockStatus(target.doc, target.tableName, sku);
    if (sku && rows.length === 0) throw new Error(`no product '${sku}' in table ${target.describe}`);
    const rooms = await readWaitingRooms(target.doc, target.tableName, sku);
    if (values.json)
      process.stdout.write(
        `${JSON.stringify(
          rows.map((row) => (rooms.has(row.sku) ? { ...row, waitingRoom: rooms.get(row.sku) } : row)),
          null,
          2,
        )}\n`,
      );
    else {
      printStatus(rows, target.describe);
      printWaitingRooms([...rooms.values()]);
    }
  },
};
