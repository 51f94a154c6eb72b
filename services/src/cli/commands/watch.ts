import { readWatchedProducts, type WatchedProduct } from "../../store/sales-watch";
import { parseCommandLine, UsageError } from "../kit";
import { readPurchaseMeter, runningStack } from "../running-stack";
import { connect, TARGET_HELP, TARGET_OPTIONS } from "../target";
import type { StockCommand } from "./command";
import { frameOf, renderFrame, type WatchFrame } from "./watch-frame";

const OPTIONS = {
  once: { type: "boolean", default: false, help: "print one frame (over one second) and exit" },
  json: { type: "boolean", default: false, help: "print each frame as one line of JSON" },
  shards: { type: "boolean", default: false, help: "show units per stock shard" },
  ...TARGET_OPTIONS,
} as const;

/** The refresh period, and the window confirmed per second is measured over. */
const FRAME_MS = 1_000;

const NO_METER =
  "Refusals and errors: n/a here. They are not in the table (a refused purchase writes nothing); on a deployed stack see the CloudWatch dashboard (PurchasesRefused, PurchasesTryAgain).";

/** Refusals and errors: the running local stack's gateway meter when watching it, else unknown. */
function refusalsAndErrors(meterFile: string | undefined): Pick<WatchFrame, "refusals" | "errors" | "note"> {
  const meter = meterFile ? readPurchaseMeter(meterFile) : undefined;
  if (!meter) return { refusals: null, errors: null, note: NO_METER };
  return {
    refusals: meter.refusals,
    errors: meter.errors,
    note: `Refusals and errors: the local gateway's count since ${meter.since}.`,
  };
}

export const watch: StockCommand = {
  help: `Usage: npm run stock -- watch [sku] [--once] [--json] [--shards] [target options]

A live view of a sale, redrawn every second until Ctrl-C: per product, orders confirmed per second and in all,
units held (waiting for payment), available and sold (loaded - available - held, as \`status\` counts them),
expired, cancelled and refunded orders, and the waiting line (joined, admitted, waiting). Confirmed, held,
expired, cancelled and refunded come from the sales tally the order-events consumer keeps (a few seconds
behind the shop at most); available from the stock shards. Reads items by key, never scans: per second, one
catalog Query plus BatchGetItem of each product's shards, its 16 tally items and (with a waiting room) its 16
join counters. Refusals and errors are not in the table: against the local stack they are its gateway's
count since it started; against a deployed table, n/a (see the CloudWatch dashboard).
  --once     print one frame (reads twice, one second apart) and exit
  --json     print each frame as one line of JSON
  --shards   show units per stock shard
${TARGET_HELP}`,
  async run(argv) {
    const { values, positionals } = parseCommandLine(argv, OPTIONS, { positionals: true });
    if (positionals.length > 1)
      throw new UsageError(`watch takes at most one sku, got ${positionals.length}: ${positionals.join(" ")}`);
    const sku = positionals[0];
    const target = connect(values);
    const meterFile = values.table ? undefined : runningStack()?.meterFile;
    const read = async () => {
      const products = await readWatchedProducts(target.doc, target.tableName, sku);
      if (sku && products.length === 0) throw new Error(`no product '${sku}' in table ${target.describe}`);
      return { products, at: Date.now() };
    };
    const frame = (before: { products: WatchedProduct[]; at: number }, after: typeof before): WatchFrame => ({
      ...frameOf(before.products, after.products, (after.at - before.at) / 1_000, {
        at: new Date(after.at),
        table: target.describe,
        shards: values.shards,
      }),
      ...refusalsAndErrors(meterFile),
    });
    const show = (shown: WatchFrame) => {
      if (values.json) process.stdout.write(`${JSON.stringify(shown)}\n`);
      else if (process.stdout.isTTY && !values.once) process.stdout.write(`\x1b[H\x1b[2J${renderFrame(shown)}\n`);
      else process.stdout.write(`${renderFrame(shown)}\n\n`);
    };
    let previous = await read();
    let attempted = previous.at;
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, attempted + FRAME_MS - Date.now())));
      attempted = Date.now();
      let current: typeof previous;
      try {
        current = await read();
      } catch (error) {
        // A live view outlasts a throttled or dropped read: it says so and tries again a second later; the next
        // frame's rate then spans the whole gap.
        if (values.once) throw error;
        process.stderr.write(`watch: ${(error as Error).message}; trying again\n`);
        continue;
      }
      show(frame(previous, current));
      if (values.once) return;
      previous = current;
    }
  },
};
