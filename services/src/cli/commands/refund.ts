import { ScanCommand } from "@aws-sdk/lib-dynamodb";
import { Shop } from "../../domain/shop";
import { createStripeProvider } from "../../payments";
import { PAYMENT_ENV } from "../../routes";
import { DynamoShopStore } from "../../store/dynamo-store";
import { DynamoOrderLifecycleStore } from "../../store/order-lifecycle-store";
import { idempotencyKeyProblem } from "../../domain/validation";
import { parseCommandLine, UsageError } from "../kit";
import { runningStack } from "../running-stack";
import { connect, TARGET_HELP, TARGET_OPTIONS, type Target } from "../target";
import type { StockCommand } from "./command";

export const refund: StockCommand = {
  help: `Usage: npm run stock -- refund <orderId> [target options]

Refunds a confirmed order in full through the payment provider and marks it REFUNDED; while its sale is
open, its units go back on sale and the shopper's allowance with them. Again on a refunded order: no change.
Finding the order by its id scans the table (orders live under their shopper): cheap locally, a full-table
read on a deployed table. Locally the payment stand-in of \`npm start\` is used; with --table, the Stripe
secret key comes from ${PAYMENT_ENV.secretKey} (and ${PAYMENT_ENV.apiUrl}, if set, names a stand-in in place of Stripe).
${TARGET_HELP}`,
  async run(argv) {
    const { values, positionals } = parseCommandLine(argv, TARGET_OPTIONS, { positionals: true });
    const orderId = positionals[0];
    if (!orderId) throw new UsageError(`refund needs <orderId>\n\n${refund.help}`);
    if (idempotencyKeyProblem(orderId))
      throw new UsageError(`'${orderId}' cannot be an order id (8-64 letters, digits, '-' or '_')`);
    const target = connect(values);
    const shopper = await shopperOf(target, orderId);
    if (!shopper) throw new Error(`no order '${orderId}' in table ${target.describe}`);
    const shop = new Shop(new DynamoShopStore(target.doc, target.tableName), {
      payments: {
        store: new DynamoOrderLifecycleStore(target.doc, target.tableName),
        provider: provider(!!values.table),
      },
    });
    const order = await shop.refundOrder(shopper, orderId);
    process.stdout.write(
      `Order ${orderId}: ${order?.status}${order?.statusReason ? ` (${order.statusReason})` : ""}\n`,
    );
  },
};

async function shopperOf(target: Target, orderId: string): Promise<string | undefined> {
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await target.doc.send(
      new ScanCommand({
        TableName: target.tableName,
        FilterExpression: "#type = :order AND orderId = :id",
        ProjectionExpression: "shopper",
        ExpressionAttributeNames: { "#type": "type" },
        ExpressionAttributeValues: { ":order": "ORDER", ":id": orderId },
        ExclusiveStartKey: startKey,
      }),
    );
    const found = page.Items?.[0];
    if (found) return String(found.shopper);
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return undefined;
}

/** The deployed stack's Stripe (its secret key from the environment), or the local stack's stand-in. */
function provider(deployed: boolean) {
  // Refunds never read webhooks: no signing secret is needed here.
  const webhookSecret = "whsec_unused_by_refunds";
  if (deployed) {
    const secretKey = process.env[PAYMENT_ENV.secretKey];
    if (!secretKey) throw new Error(`set ${PAYMENT_ENV.secretKey} to the stack's Stripe secret key to refund`);
    // A stand-in in place of api.stripe.com (tests, or a stack of your own).
    const apiUrl = process.env[PAYMENT_ENV.apiUrl];
    return createStripeProvider({ secretKey, webhookSecret, ...(apiUrl ? endpointOf(apiUrl) : {}) });
  }
  const running = runningStack();
  if (!running) throw new Error("the local stack is not running: start it with `npm start`");
  return createStripeProvider({
    secretKey: running.payments.secretKey,
    webhookSecret,
    ...endpointOf(running.payments.url),
  });
}

function endpointOf(url: string): { host: string; port: number; protocol: "http" | "https" } {
  const parsed = new URL(url);
  const protocol = parsed.protocol === "http:" ? "http" : "https";
  return { host: parsed.hostname, port: Number(parsed.port) || (protocol === "http" ? 80 : 443), protocol };
}
