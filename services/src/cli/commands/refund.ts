import { ScanCommand } from "@aws-sdk/lib-dynamodb";
import { Shop } from "../../domain/shop";
import { PAYMENT_ENV } from "../../routes";
import { DynamoShopStore } from "../../store/dynamo-store";
import { DynamoOrderLifecycleStore } from "../../store/order-lifecycle-store";
import { idempotencyKeyProblem } from "../../domain/validation";
import { parseCommandLine, UsageError } from "../kit";
import { cliPaymentProvider } from "../provider";
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
        provider: cliPaymentProvider(!!values.table, "refund"),
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
