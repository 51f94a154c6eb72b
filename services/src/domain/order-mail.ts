import { composeMail, type MailSender, UndeliverableMailError } from "./mail";
import type { OrderEvent } from "./order-events";

/**
 * Claims make a mail go out once although streams deliver records at least once. A claim is written
 * SENDING before the send and SENT after it. `claim` answers:
 * - "claimed": this caller sends;
 * - "sent": an earlier copy sent it, nothing to do;
 * - "busy": another copy is sending right now (or crashed less than the claim's lease ago): retry later.
 * A claim left SENDING longer than its lease (a crash between claim and SENT) is taken over and the mail
 * sent again: a mail is never lost, and is sent twice only if a sender crashes after SES accepted the
 * mail and before its SENT write. A failed send releases its claim so the retry sends.
 */
export interface MailClaims {
  claim(mailId: string, shopper: string): Promise<"claimed" | "sent" | "busy">;
  markSent(mailId: string, shopper: string): Promise<void>;
  release(mailId: string, shopper: string): Promise<void>;
}

export interface OrderMailPorts {
  claims: MailClaims;
  sender: MailSender;
  /** The product's name for the mail (the order item keeps only the sku); undefined: the sku itself. */
  productName(sku: string): Promise<string | undefined>;
}

/** "undeliverable": the mail can never go; its claim is closed so no copy of the record tries again. */
export type OrderMailOutcome = "none" | "sent" | "duplicate" | "undeliverable";

/** Raised for a record another copy is sending now: the consumer reports it failed so the stream retries it. */
export class MailInFlightError extends Error {}

/** The mail of one order event, at most once per (order, event). */
export async function mailOrderEvent(ports: OrderMailPorts, event: OrderEvent): Promise<OrderMailOutcome> {
  const mail = composeMail(event, (await ports.productName(event.order.sku)) ?? event.order.sku);
  if (!mail) return "none";
  const claim = await ports.claims.claim(mail.id, mail.shopper);
  if (claim === "sent") return "duplicate";
  if (claim === "busy") throw new MailInFlightError(`mail ${mail.id} is being sent by another copy of its record`);
  try {
    await ports.sender.send(mail);
  } catch (error) {
    if (error instanceof UndeliverableMailError) {
      await ports.claims.markSent(mail.id, mail.shopper);
      return "undeliverable";
    }
    await ports.claims.release(mail.id, mail.shopper);
    throw error;
  }
  await ports.claims.markSent(mail.id, mail.shopper);
  return "sent";
}
