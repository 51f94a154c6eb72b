import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { planCapacity, WRITE_UNITS_PER_PURCHASE } from "../domain/capacity";

/** DynamoDB's default per-table write quota (AWS documentation; raised on request). */
const DEFAULT_TABLE_WRITE_QUOTA = 40_000;
import { addUnits, getProductItem, MAX_SHARDS } from "../store/merchandising";
import {
  createProducts,
  planLoad,
  readCatalogItems,
  readStockStatus,
  reshard,
  updateProducts,
} from "../store/stock-admin";
import { readWaitingRooms, setWaitingRoom, type WaitingRoomStatus } from "../store/waiting-room-admin";
import { admissionRateProblem, MAX_UNITS, readCatalogFile } from "./catalog-file";
import { progressBar } from "./progress";
import { connect, TARGET_HELP } from "./target";

/** `npm run stock -- <command>`: the merchandiser's tool for products and stock. */

const HELP: Record<string, string> = {
  main: `Usage: npm run stock -- <command> [options]

Commands:
  load <catalog.json>     create or update products and their stock
  add <sku> <units>       add units to a product, spread over its shards
  status [sku]            loaded, sold, available, per-shard units and orders
  reshard <sku> <shards>  spread a product's units over a new number of shards
  plan --peak <n>         shards and table warm throughput for n purchases/s
  waiting-room <sku> [on|off] [--rate <n>|default]
                          a product's waiting room: on/off, shoppers admitted per second

Run \`npm run stock -- <command> --help\` for a command's options.
${TARGET_HELP}`,
  load: `Usage: npm run stock -- load <catalog.json> [--dry-run] [target options]

The file is a JSON array of products (or {"products": [...]}), each with exactly:
  sku, name, description, imageUrl, priceCents, currency, saleStartsAt, saleEndsAt,
  perCustomerLimit, shardCount, units
and optionally waitingRoom (true/false, default false) and admissionRate (shoppers/s; default:
shardCount x 250, what the shards can sell).
New products are created with \`units\` split evenly over \`shardCount\` shards. Existing products get
their catalog fields updated and their stock topped up to \`units\` loaded in total (units only grow;
the shard count changes only with \`reshard\`). The whole file is checked first: any problem and
nothing is written.
  --dry-run   check and show what would change, write nothing
${TARGET_HELP}`,
  add: `Usage: npm run stock -- add <sku> <units> [target options]

Adds <units> (a whole number from 1 to ${MAX_UNITS}) to <sku>, spread evenly over its shards, in one
transaction with the product's loaded total; clears its sold-out flag.
${TARGET_HELP}`,
  status: `Usage: npm run stock -- status [sku] [--json] [target options]

Per product: units loaded, sold, available, per-shard units and confirmed orders. Counting orders
scans the table: cheap locally, a full-table read on a deployed table. Products with a waiting room
also show its rate and shoppers joined, admitted and waiting (from 16 counter items, no scan).
  --json   print JSON instead of a table
${TARGET_HELP}`,
  reshard: `Usage: npm run stock -- reshard <sku> <shards> [--force] [target options]

Spreads <sku>'s available units evenly over <shards> shards (1-${MAX_SHARDS}) in one transaction,
keeping the total. Refused while the product's sale is open, unless --force; a purchase landing during
the reshard aborts it (run it again).
${TARGET_HELP}`,
  "waiting-room": `Usage: npm run stock -- waiting-room <sku> [on|off] [--rate <shoppers/s>|--rate default] [--json] [target options]

Shoppers of a product with a waiting room join a line (GET /admission/<sku>); those who join before
the opening get a place drawn at random, later ones queue in arrival order; places are admitted at
the rate from the opening, and only admitted shoppers can buy. Without on/off or --rate, shows the
waiting room: rate, joined, admitted, waiting.
  on | off        turn the waiting room on or off
  --rate <n>      admit n shoppers per second (above 0); "default" = shardCount x 250, what the
                  shards can sell. Changed during the sale, admission goes on from where it stands.
${TARGET_HELP}`,
  plan: `Usage: npm run stock -- plan --peak <purchases/s> [--json]

Shards per hot product and table warm throughput for a peak purchase rate, from DynamoDB's limit of
1,000 write units/s per partition and ${WRITE_UNITS_PER_PURCHASE} write units per purchase. Needs no table.`,
};

class UsageError extends Error {}

function wholeNumber(text: string | undefined, name: string, min: number, max: number): number {
  const value = Number(text);
  if (text === undefined || !/^\d+$/.test(text) || value < min || value > max)
    throw new UsageError(
      `${name} must be a whole number from ${min} to ${max}, got ${text === undefined ? "nothing" : `'${text}'`}`,
    );
  return value;
}

async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      help: { type: "boolean", short: "h" },
      "dry-run": { type: "boolean" },
      force: { type: "boolean" },
      json: { type: "boolean" },
      peak: { type: "string" },
      rate: { type: "string" },
      table: { type: "string" },
      region: { type: "string" },
      endpoint: { type: "string" },
    },
  });
  const [command, ...args] = positionals;
  if (!command || !(command in HELP) || command === "main") {
    if (command) throw new UsageError(`unknown command '${command}'\n\n${HELP.main}`);
    process.stdout.write(`${HELP.main}\n`);
    if (!values.help) process.exitCode = 2;
    return;
  }
  if (values.help) {
    process.stdout.write(`${HELP[command]}\n`);
    return;
  }

  if (command === "plan") {
    const plan = planCapacity(wholeNumber(values.peak, "--peak", 1, 10_000_000));
    if (values.json) process.stdout.write(`${JSON.stringify(plan, null, 2)}\n`);
    else {
      process.stdout.write(`For a peak of ${plan.peakPurchasesPerSecond} purchases/s:
  shards per hot product        ${plan.shards}   (${plan.purchasesPerShardPerSecond} purchases/s each, half a partition's 1,000 WCU/s)
  table warm throughput (write) ${plan.tableWriteUnitsPerSecond} WCU/s   (${WRITE_UNITS_PER_PURCHASE} WCU per purchase, +50% headroom, at least the 4,000 a new table has)
  table warm throughput (read)  ${plan.tableReadUnitsPerSecond} RCU/s
Set shardCount in the catalog file (or \`reshard\`), and expectedPeakPurchasesPerSecond in the Pulumi stack config.\n`);
      if (plan.tableWriteUnitsPerSecond > DEFAULT_TABLE_WRITE_QUOTA) {
        process.stdout.write(
          `! ${plan.tableWriteUnitsPerSecond} WCU/s is above DynamoDB's default table quota of ${DEFAULT_TABLE_WRITE_QUOTA} WCU/s: request a quota increase before the sale.\n`,
        );
      }
    }
    return;
  }

  const target = connect(values);
  if (command === "load") {
    const file = args[0];
    if (!file) throw new UsageError(`load needs a catalog file\n\n${HELP.load}`);
    // npm runs workspace scripts in services/; a relative path means relative to where the user typed it.
    const { products, problems } = readCatalogFile(resolve(process.env.INIT_CWD ?? process.cwd(), file));
    if (problems.length > 0)
      throw new Error(`${problems.length} problem(s), nothing written:\n  ${problems.join("\n  ")}`);
    const plan = planLoad(await readCatalogItems(target.doc, target.tableName), products, file);
    if (plan.problems.length > 0)
      throw new Error(`${plan.problems.length} problem(s), nothing written:\n  ${plan.problems.join("\n  ")}`);
    const summary = `${plan.creates.length} to create, ${plan.updates.length} to update, ${plan.unchanged.length} unchanged (table ${target.describe})`;
    if (values["dry-run"]) {
      process.stdout.write(`Dry run: ${summary}. Nothing written.\n`);
      return;
    }
    const bar = progressBar("Loading products", plan.creates.length + plan.updates.length);
    await createProducts(target.doc, target.tableName, plan.creates, (done) => bar.update(done));
    await updateProducts(target.doc, target.tableName, plan.updates, (done) => bar.update(plan.creates.length + done));
    bar.finish();
    process.stdout.write(
      `Loaded ${file}: ${plan.creates.length} created, ${plan.updates.length} updated, ${plan.unchanged.length} unchanged.\n`,
    );
    return;
  }
  if (command === "add") {
    const [sku, unitsText] = args;
    if (!sku) throw new UsageError(`add needs <sku> <units>\n\n${HELP.add}`);
    const units = wholeNumber(unitsText, "units", 1, MAX_UNITS);
    if (!(await getProductItem(target.doc, target.tableName, sku)))
      throw new Error(`no product '${sku}' in table ${target.describe}`);
    await addUnits(target.doc, target.tableName, sku, units);
    const [status] = await readStockStatus(target.doc, target.tableName, sku);
    process.stdout.write(
      `Added ${units} units to ${sku}: ${status?.available} available of ${status?.loaded} loaded.\n`,
    );
    return;
  }
  if (command === "status") {
    const rows = await readStockStatus(target.doc, target.tableName, args[0]);
    if (args[0] && rows.length === 0) throw new Error(`no product '${args[0]}' in table ${target.describe}`);
    const rooms = await readWaitingRooms(target.doc, target.tableName, args[0]);
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
    return;
  }
  if (command === "waiting-room") {
    const [sku, toggle] = args;
    if (!sku) throw new UsageError(`waiting-room needs <sku>\n\n${HELP["waiting-room"]}`);
    if (toggle !== undefined && toggle !== "on" && toggle !== "off")
      throw new UsageError(`waiting-room takes on or off, got '${toggle}'`);
    const rate = values.rate === undefined || values.rate === "default" ? values.rate : Number(values.rate);
    if (typeof rate === "number" && admissionRateProblem(rate))
      throw new UsageError(`--rate ${admissionRateProblem(rate)!}, or "default"; got '${values.rate}'`);
    if (!(await getProductItem(target.doc, target.tableName, sku)))
      throw new Error(`no product '${sku}' in table ${target.describe}`);
    const { after } = await setWaitingRoom(target.doc, target.tableName, sku, {
      ...(toggle ? { enabled: toggle === "on" } : {}),
      ...(rate !== undefined ? { rate } : {}),
    });
    if (values.json) process.stdout.write(`${JSON.stringify(after, null, 2)}\n`);
    else
      printWaitingRooms(
        [after],
        toggle !== undefined || rate !== undefined
          ? `Waiting room of ${sku} ${after.enabled ? "on" : "off"}.`
          : undefined,
      );
    return;
  }
  if (command === "reshard") {
    const [sku, shardsText] = args;
    if (!sku) throw new UsageError(`reshard needs <sku> <shards>\n\n${HELP.reshard}`);
    const shards = wholeNumber(shardsText, "shards", 1, MAX_SHARDS);
    const item = await getProductItem(target.doc, target.tableName, sku);
    if (!item) throw new Error(`no product '${sku}' in table ${target.describe}`);
    const now = Date.now();
    const open = now >= Date.parse(String(item.saleStartsAt)) && now < Date.parse(String(item.saleEndsAt));
    if (open && !values.force)
      throw new Error(
        `${sku}'s sale is open (until ${String(item.saleEndsAt)}); resharding now races shoppers. Pass --force to do it anyway.`,
      );
    const { before, after } = await reshard(target.doc, target.tableName, sku, shards);
    process.stdout.write(
      `Resharded ${sku}: [${before.join(", ")}] -> [${after.join(", ")}] (${after.reduce((a, b) => a + b, 0)} units).\n`,
    );
  }
}

function printStatus(rows: Awaited<ReturnType<typeof readStockStatus>>, table: string): void {
  if (rows.length === 0) {
    process.stdout.write(`No products in table ${table}. Load some with: npm run stock -- load <catalog.json>\n`);
    return;
  }
  const header = ["sku", "loaded", "sold", "available", "orders", "state", "shards"];
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
    String(row.available),
    String(row.orders),
    state(row),
    row.shards.join(" "),
  ]);
  const widths = header.map((name, i) => Math.max(name.length, ...lines.map((line) => line[i]!.length)));
  const format = (cells: string[]) =>
    cells
      .map((cell, i) => (i === 0 || i >= 5 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
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

function printWaitingRooms(rooms: WaitingRoomStatus[], headline?: string): void {
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

main(process.argv.slice(2)).catch((error: unknown) => {
  const usage = error instanceof UsageError || (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS");
  process.stderr.write(`stock: ${(error as Error).message}\n`);
  process.exitCode = usage ? 2 : 1;
});
