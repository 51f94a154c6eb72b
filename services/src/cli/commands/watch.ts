import { cloudWatchReader, minuteByMinute, readMinuteOfRefusals } from "../deployed-refusals";
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
  metrics: {
    type: "string",
    help: "with --table: the stack's metrics namespace (Pulumi output metricsNamespace), for refusals and errors",
  },
  ...TARGET_OPTIONS,
} as const;

/** The refresh period, and the window confirmed per second is measured over. */
const FRAME_MS = 1_000;

const NO_METER =
  "Refusals and errors: n/a here. They are not in the table (a refused purchase writes nothing); against a deployed table, add --metrics <namespace> to read them from CloudWatch.";

type RefusalsAndErrors = Pick<WatchFrame, "refusals" | "errors" | "note">;

/** Refusals and errors: the running local stack's gateway meter when watching it. */
function fromMeter(meterFile: string | undefined): RefusalsAndErrors {
  const meter = meterFile ? readPurchaseMeter(meterFile) : undefined;
  if (!meter) return { refusals: null, errors: null, note: NO_METER };
  return {
    refusals: meter.refusals,
    errors: meter.errors,
    note: `Refusals and errors: the local gateway's count since ${meter.since}.`,
  };
}

/** Against a deployed stack: the functions' CloudWatch metrics, one whole minute at a time, read once a minute. */
function fromCloudWatch(namespace: string, region: string): (nowMs: number) => Promise<RefusalsAndErrors> {
  const client = cloudWatchReader(region);
  const minute = minuteByMinute((nowMs) => readMinuteOfRefusals(client, namespace, nowMs));
  return async (nowMs) => {
    const read = await minute(nowMs);
    const hhmm = (at: Date) => at.toISOString().slice(11, 16);
    return {
      refusals: read.refusals,
      errors: read.errors,
      note: `Refusals and errors (503 TRY_AGAIN and engine faults): CloudWatch ${namespace}, the minute ${hhmm(read.from)}-${hhmm(read.to)} UTC.`,
    };
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
count since it started; against a deployed table, with --metrics <namespace>, the last whole minute of the
functions' CloudWatch metrics (one GetMetricData a minute; the caller needs cloudwatch:GetMetricData), else n/a.
  --once     print one frame (reads twice, one second apart) and exit
  --json     print each frame as one line of JSON
  --shards   show units per stock shard
  --metrics <namespace>  with --table: the stack's metrics namespace (npx pulumi stack output metricsNamespace)
${TARGET_HELP}`,
  async run(argv) {
    const { values, positionals } = parseCommandLine(argv, OPTIONS, { positionals: true });
    if (positionals.length > 1)
      throw new UsageError(`watch takes at most one sku, got ${positionals.length}: ${positionals.join(" ")}`);
    const sku = positionals[0];
    const target = connect(values);
    if (values.metrics !== undefined && !values.table)
      throw new UsageError("--metrics reads a deployed stack's CloudWatch metrics: give --table too");
    const meterFile = values.table ? undefined : runningStack()?.meterFile;
    const region = values.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? "";
    const refusals =
      values.table && values.metrics ? fromCloudWatch(values.metrics, region) : async () => fromMeter(meterFile);
    const read = async () => {
      const products = await readWatchedProducts(target.doc, target.tableName, sku);
      if (sku && products.length === 0) throw new Error(`no product '${sku}' in table ${target.describe}`);
      return { products, at: Date.now() };
    };
    const frame = async (
      before: { products: WatchedProduct[]; at: number },
      after: typeof before,
    ): Promise<WatchFrame> => ({
      ...frameOf(before.products, after.products, (after.at - before.at) / 1_000, {
        at: new Date(after.at),
        table: target.describe,
        shards: values.shards,
      }),
      ...(await refusals(after.at)),
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
      let shown: WatchFrame;
      let current: typeof previous;
      try {
        current = await read();
        shown = await frame(previous, current);
      } catch (error) {
        // A live view outlasts a throttled or dropped read: it says so and tries again a second later; the next
        // frame's rate then spans the whole gap.
        if (values.once) throw error;
        process.stderr.write(`watch: ${(error as Error).message}; trying again\n`);
        continue;
      }
      show(shown);
      if (values.once) return;
      previous = current;
    }
  },
};
