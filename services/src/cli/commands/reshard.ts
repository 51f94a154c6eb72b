import { getProductItem, MAX_SHARDS } from "../../store/merchandising";
import { reshard as reshardStock } from "../../store/reshard";
import { parseCommandLine, UsageError, wholeNumber } from "../kit";
import { connect, TARGET_HELP, TARGET_OPTIONS } from "../target";
import type { StockCommand } from "./command";

const OPTIONS = {
  force: { type: "boolean", default: false, help: "reshard even while the sale is open" },
  ...TARGET_OPTIONS,
} as const;

export const reshard: StockCommand = {
  help: `Usage: npm run stock -- reshard <sku> <shards> [--force] [target options]

Spreads <sku>'s available units evenly over <shards> shards (1-${MAX_SHARDS}), keeping the total: in one
transaction when every shard fits in one on this engine, else in steps that each keep every unit in a live
shard (a stop between two leaves a sound product; run it again to finish). Refused while the product's sale
is open, unless --force; purchases landing meanwhile make it read again and go on.
${TARGET_HELP}`,
  async run(argv) {
    const { values, positionals } = parseCommandLine(argv, OPTIONS, { positionals: true });
    const [sku, shardsText] = positionals;
    if (!sku) throw new UsageError(`reshard needs <sku> <shards>\n\n${reshard.help}`);
    const shards = wholeNumber("shards", shardsText, 1, MAX_SHARDS);
    const target = connect(values);
    const item = await getProductItem(target.doc, target.tableName, sku);
    if (!item) throw new Error(`no product '${sku}' in table ${target.describe}`);
    const now = Date.now();
    const open = now >= Date.parse(String(item.saleStartsAt)) && now < Date.parse(String(item.saleEndsAt));
    if (open && !values.force)
      throw new Error(
        `${sku}'s sale is open (until ${String(item.saleEndsAt)}); resharding now races shoppers. Pass --force to do it anyway.`,
      );
    const { before, after, transactions } = await reshardStock(target.doc, target.tableName, sku, shards);
    const steps = transactions === 1 ? "one transaction" : `${transactions} transactions`;
    process.stdout.write(
      `Resharded ${sku}: [${before.join(", ")}] -> [${after.join(", ")}] (${after.reduce((a, b) => a + b, 0)} units, ${steps}).\n`,
    );
  },
};
