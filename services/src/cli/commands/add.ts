import { addUnits, getProductItem } from "../../store/merchandising";
import { readStockStatus } from "../../store/stock-admin";
import { MAX_UNITS } from "../catalog-file";
import { parseCommandLine, UsageError, wholeNumber } from "../kit";
import { connect, TARGET_HELP, TARGET_OPTIONS } from "../target";
import type { StockCommand } from "./command";

export const add: StockCommand = {
  help: `Usage: npm run stock -- add <sku> <units> [target options]

Adds <units> (a whole number from 1 to ${MAX_UNITS}) to <sku> in one transaction with the product's loaded
total, spread over its emptiest shards (as many as the engine's transaction holds: all of them in AWS);
clears its sold-out flag. A reshard meanwhile makes it read the shards again, never adding to a retired one.
${TARGET_HELP}`,
  async run(argv) {
    const { values, positionals } = parseCommandLine(argv, TARGET_OPTIONS, { positionals: true });
    const [sku, unitsText] = positionals;
    if (!sku) throw new UsageError(`add needs <sku> <units>\n\n${add.help}`);
    const units = wholeNumber("units", unitsText, 1, MAX_UNITS);
    const target = connect(values);
    if (!(await getProductItem(target.doc, target.tableName, sku)))
      throw new Error(`no product '${sku}' in table ${target.describe}`);
    await addUnits(target.doc, target.tableName, sku, units);
    const [status] = await readStockStatus(target.doc, target.tableName, sku);
    process.stdout.write(
      `Added ${units} units to ${sku}: ${status?.available} available of ${status?.loaded} loaded.\n`,
    );
  },
};
