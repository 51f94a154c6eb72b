import type { ProviderPayment } from "../../domain/payments";
import { PAYMENT_ENV } from "../../routes";
import { auditItems, narrowToSku } from "../../store/reconcile";
import { scanTable } from "../../store/scan";
import { parseCommandLine, statusLine } from "../kit";
import { cliPaymentProvider } from "../provider";
import { connect, TARGET_HELP, TARGET_OPTIONS } from "../target";
import type { StockCommand } from "./command";
import { printReconciliation } from "./reconcile-output";

const OPTIONS = {
  json: { type: "boolean", default: false, help: "print JSON instead of lines" },
  ...TARGET_OPTIONS,
} as const;

/** Exit code when any mismatch was found (usage errors are 2, failures to read 1 as well). */
const MISMATCH_EXIT_CODE = 1;

export const reconcile: StockCommand = {
  help: `Usage: npm run stock -- reconcile [sku] [--json] [target options]

Compares orders, stock shards, held units, limit counters and the payment provider's payments, and prints
each mismatch with what to do about it: a CONFIRMED order without a captured payment, a payment without a
CONFIRMED or REFUNDED order, shards off from loaded = available + held + sold, and the rest of the data
model's invariants. Exits 1 when there is a mismatch, 0 when all agree. Reads the whole table
(consistently: cheap locally, a full-table read on a deployed table) and, when a product takes payment,
every completed checkout at the provider: the local stack's stand-in, or with --table Stripe through
${PAYMENT_ENV.secretKey} (and ${PAYMENT_ENV.apiUrl}, if set, names a stand-in in place of Stripe).
  --json   print JSON instead of lines
${TARGET_HELP}`,
  async run(argv) {
    const { values, positionals } = parseCommandLine(argv, OPTIONS, { positionals: true });
    const sku = positionals[0];
    const target = connect(values);
    let scanned = 0;
    let paymentsRead = 0;
    const progress = statusLine(() => `reconcile: ${scanned} items read, ${paymentsRead} payments read`);
    const timer = setInterval(progress.tick, 250);
    try {
      const items = await scanTable(target.doc, target.tableName, (read) => {
        scanned = read;
      });
      const inScope = (item: Record<string, unknown>) => sku === undefined || item.sku === sku;
      const takesPayment = items.some((item) => item.pk === "CATALOG" && item.checkout === "payment" && inScope(item));
      let payments: ProviderPayment[] | undefined;
      if (takesPayment) {
        const provider = cliPaymentProvider(!!values.table, "reconcile payments");
        payments = await provider.listPayments((read) => {
          paymentsRead = read;
        });
      }
      const full = auditItems(items, payments);
      const report = sku === undefined ? full : narrowToSku(full, sku, items);
      if (sku !== undefined && report.products.length === 0)
        throw new Error(`no product '${sku}' in table ${target.describe}`);
      progress.done();
      const scope = {
        table: target.describe,
        sku,
        payments: payments?.filter((payment) => sku === undefined || payment.sku === sku).length,
      };
      printReconciliation(report, scope, values.json);
      if (!report.ok) process.exitCode = MISMATCH_EXIT_CODE;
    } finally {
      clearInterval(timer);
      progress.done();
    }
  },
};
