import type { OrderEvent } from "./order-events";

/** A mail to a shopper. `shopper` is the user pool's `sub`: the sender's adapter knows where it goes. */
export interface Mail {
  /** Stable per (order, event): the claim's key and the adapters' message reference. */
  id: string;
  shopper: string;
  subject: string;
  text: string;
}

/** The mail port: SES in AWS, the terminal and a file locally. Throws when the mail was not accepted. */
export interface MailSender {
  send(mail: Mail): Promise<void>;
}

/** A mail that can never go (the shopper has no address): retrying will not help, so it is not retried. */
export class UndeliverableMailError extends Error {}

/**
 * The one mail of an event, in plain text. No mail when the shopper cancelled on the page (which told them), nor
 * for a hold (the payment page is the shopper's next step; the tally counts it).
 */
export function composeMail(event: OrderEvent, productName: string): Mail | undefined {
  const { order } = event;
  const id = mailId(event);
  const line = `${order.quantity} × ${productName}`;
  const total = formatMoney(order.totalCents, order.currency);
  const reference = `Order number: ${order.orderId}`;
  switch (event.kind) {
    case "confirmed":
      return {
        id,
        shopper: event.shopper,
        subject: `Order confirmed: ${productName}`,
        text: [`Thank you: your order is confirmed.`, "", reference, `${line}`, `Total: ${total}`].join("\n"),
      };
    case "expired":
      return {
        id,
        shopper: event.shopper,
        subject: `Your hold on ${productName} has expired`,
        text: [
          "The time to pay ran out, so the units we held for you went back on sale. You were not charged.",
          "",
          reference,
          line,
        ].join("\n"),
      };
    case "refunded":
      return {
        id,
        shopper: event.shopper,
        subject: `Refund: ${productName}`,
        text: [
          `We refunded ${total} to your card.`,
          ...(order.statusReason ? [`Why: ${order.statusReason}`] : []),
          "",
          reference,
          line,
        ].join("\n"),
      };
    case "cancelled":
    case "held":
      return undefined;
  }
}

/** The claim key of an event's mail: one per order and kind, whichever record (or copy of it) brings it. */
export const mailId = (event: Pick<OrderEvent, "kind" | "order">) => `${event.order.orderId}#${event.kind}`;

/** Integer cents in the currency's own notation ("$1,299.00", "€12.50"). */
export function formatMoney(cents: number, currency: string): string {
  return new Intl.NumberFormat("en-US", { style: "currency", currency }).format(cents / 100);
}
