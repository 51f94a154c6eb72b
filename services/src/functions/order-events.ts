import { createOrderEventsHandler } from "../events/order-events-handler";
import { orderMetrics } from "../events/order-metrics";
import { containerLog } from "../http/log";
import { sesMailSettingsFromEnv, sesMailSender } from "../mail/ses-sender";
import { createDocumentClient, dynamoSettingsFromEnv } from "../store/client";
import { salesTallyEffect } from "../store/sales-tally";

/**
 * The table stream's consumer (an event source mapping with partial batch responses): mails shoppers
 * through SES, keeps the merchandisers' sales tally (`stock watch`) and counts order metrics. Clients are made once per container; the local stack runs the same handler factory with
 * its terminal mailbox.
 */
const settings = dynamoSettingsFromEnv();
const log = containerLog();

const doc = createDocumentClient(settings);

export const handler = createOrderEventsHandler({
  doc,
  tableName: settings.tableName,
  sender: sesMailSender(sesMailSettingsFromEnv()),
  effects: [salesTallyEffect(doc, settings.tableName), orderMetrics()],
  onFailure: (error) => log.engineFault("order-events", error.message),
});
