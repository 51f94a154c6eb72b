import { add } from "./commands/add";
import type { StockCommand } from "./commands/command";
import { load } from "./commands/load";
import { plan } from "./commands/plan";
import { reconcile } from "./commands/reconcile";
import { refund } from "./commands/refund";
import { reshard } from "./commands/reshard";
import { status } from "./commands/status";
import { waitingRoom } from "./commands/waiting-room";
import { watch } from "./commands/watch";
import { reportError, USAGE_EXIT_CODE, UsageError } from "./kit";
import { TARGET_HELP } from "./target";

/** `npm run stock -- <command>`: the merchandiser's tool for products and stock. Dispatches to commands/. */

const COMMANDS: Record<string, StockCommand> = {
  load,
  add,
  status,
  reshard,
  plan,
  refund,
  reconcile,
  "waiting-room": waitingRoom,
  watch,
};

const HELP = `Usage: npm run stock -- <command> [options]

Commands:
  load <catalog.json>     create or update products and their stock
  add <sku> <units>       add units to a product, spread over its shards
  status [sku]            loaded, sold, held, available, per-shard units and orders
  reshard <sku> <shards>  spread a product's units over a new number of shards
  plan --peak <n>         shards and table warm throughput for n purchases/s
  refund <orderId>        refund a confirmed order; its units go back while the sale is open
  reconcile [sku]         orders, shards, held units and payments compared; each mismatch and what to do
  watch [sku]             a sale live, every second: confirmed/s, held, available, the waiting line
  waiting-room <sku> [on|off] [--rate <n>|default]
                          a product's waiting room: on/off, shoppers admitted per second

Run \`npm run stock -- <command> --help\` for a command's options.
${TARGET_HELP}`;

/** Options that take a value, so the command is the first argument that is neither an option nor a value. */
const VALUED = new Set(["--table", "--region", "--endpoint", "--peak", "--rate"]);

async function main(argv: string[]): Promise<void> {
  const at = argv.findIndex((arg, i) => !arg.startsWith("-") && !VALUED.has(argv[i - 1] ?? ""));
  const name = argv[at];
  const rest = argv.filter((_, i) => i !== at);
  const help = rest.includes("--help") || rest.includes("-h");
  if (name === undefined) {
    process.stdout.write(`${HELP}\n`);
    if (!help) process.exitCode = USAGE_EXIT_CODE;
    return;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!command) throw new UsageError(`unknown command '${name}'\n\n${HELP}`);
  if (help) process.stdout.write(`${command.help}\n`);
  else await command.run(rest);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.exitCode = reportError("stock", error);
});
