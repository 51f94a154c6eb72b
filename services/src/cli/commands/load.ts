import { resolve } from "node:path";
import { createProducts, planLoad, readCatalogItems, updateProducts } from "../../store/stock-admin";
import { currencyProblems, readCatalogFile } from "../catalog-file";
import { parseCommandLine, progressBar, UsageError } from "../kit";
import { connect, TARGET_HELP, TARGET_OPTIONS } from "../target";
import type { StockCommand } from "./command";

const OPTIONS = {
  "dry-run": { type: "boolean", default: false, help: "check and show what would change, write nothing" },
  ...TARGET_OPTIONS,
} as const;

export const load: StockCommand = {
  help: `Usage: npm run stock -- load <catalog.json> [--dry-run] [target options]

The file is a JSON array of products (or {"products": [...]}), each with exactly:
  sku, name, description, imageUrl, priceCents, currency, saleStartsAt, saleEndsAt,
  perCustomerLimit, shardCount, units
and optionally waitingRoom (true/false, default false) and admissionRate (shoppers/s; default:
shardCount x 250, what the shards can sell). Dates must exist (no 30 February), imageUrl is https://
on a named host or a path starting with one /, and a shop sells in one currency: a product whose
currency differs from the file's or the table's other products is refused.
New products are created with \`units\` split evenly over \`shardCount\` shards. Existing products get
their catalog fields updated and their stock topped up to \`units\` loaded in total (units only grow;
the shard count changes only with \`reshard\`). The whole file is checked first: any problem and
nothing is written.
  --dry-run   check and show what would change, write nothing
${TARGET_HELP}`,
  async run(argv) {
    const { values, positionals } = parseCommandLine(argv, OPTIONS, { positionals: true });
    const file = positionals[0];
    if (!file) throw new UsageError(`load needs a catalog file\n\n${load.help}`);
    const target = connect(values);
    // npm runs workspace scripts in services/; a relative path means relative to where the user typed it.
    const { products, problems } = readCatalogFile(resolve(process.env.INIT_CWD ?? process.cwd(), file));
    if (problems.length > 0)
      throw new Error(`${problems.length} problem(s), nothing written:\n  ${problems.join("\n  ")}`);
    const existing = await readCatalogItems(target.doc, target.tableName);
    const plan = planLoad(existing, products, file);
    // One currency per shop (catalog-file.ts): checked against what the table already sells.
    plan.problems.push(...currencyProblems(existing, products, file));
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
  },
};
