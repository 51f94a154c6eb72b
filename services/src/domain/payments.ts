import { StoreUnavailableError } from "./ports";

/**
 * The payment provider, behind a port: the domain asks for a hosted checkout per held order, reads the
 * provider's (already verified) events, and asks for refunds. Stripe implements it in AWS
 * (payments/stripe-provider.ts); locally the same adapter talks to the stand-in in @flash-sale/local.
 */

/** What the hosted payment page sells: one held order. */
export interface CheckoutRequest {
  orderId: string;
  /** The shopper's id (the token's `sub`), kept in the session's metadata. */
  shopper: string;
  sku: string;
  productName: string;
  quantity: number;
  totalCents: number;
  currency: string;
  /** The hold's end (ISO-8601): the session expires with it where the provider allows. */
  expiresAt: string;
  /** Where the page sends the shopper back after paying, and after giving up. */
  successUrl: string;
  cancelUrl: string;
}

export interface CheckoutSession {
  /** The provider's session id. */
  id: string;
  /** The hosted payment page. */
  url: string;
}

/**
 * A provider event the shop acts on, read from a verified webhook. `eventId` is the provider's, so a
 * redelivered event is recognised; `orderId` and `shopper` come from the metadata set at checkout.
 */
export type PaymentEvent =
  | {
      kind: "paid";
      eventId: string;
      orderId: string;
      shopper: string;
      /** The captured payment (Stripe: the PaymentIntent id), what a refund names. */
      paymentId: string;
      amountCents: number;
      currency: string;
    }
  | { kind: "declined"; eventId: string; orderId: string; shopper: string; reason: string }
  | { kind: "checkout-expired"; eventId: string; orderId: string; shopper: string };

/**
 * The payment provider did not answer or failed (a timeout, a refused connection, its 5xx): not a "no", so
 * callers answer "try again" (503), like an engine fault; the provider's webhook retries then apply it later.
 */
export class PaymentProviderUnavailableError extends StoreUnavailableError {
  override readonly name: string = "PaymentProviderUnavailableError";
}

/** A webhook whose signature does not verify, or whose body is not an event: 400, nothing written. */
export class InvalidWebhookError extends Error {
  override readonly name = "InvalidWebhookError";
}

/**
 * One Checkout Session the provider completed for an order of this shop, reduced to what reconciliation
 * compares with the orders: the order it was made for, what it charged, what went back.
 */
export interface ProviderPayment {
  sessionId: string;
  /** The captured payment (Stripe: the PaymentIntent id), what a refund names; absent while unpaid. */
  paymentId?: string;
  orderId: string;
  sku: string;
  amountCents: number;
  paid: boolean;
  refundedCents: number;
}

export interface PaymentProvider {
  /** Creates (or, for the same order, returns again) the hosted checkout of a held order. */
  createCheckout(request: CheckoutRequest): Promise<CheckoutSession>;
  /**
   * Verifies the webhook's signature over the raw body and reads the event. Undefined for an event the
   * shop does not act on (answered 200, so the provider stops retrying); throws InvalidWebhookError.
   */
  readWebhook(rawBody: string, signature: string | undefined): Promise<PaymentEvent | undefined>;
  /** Refunds a captured payment in full (idempotent per order). */
  refund(paymentId: string, orderId: string): Promise<{ refundId: string }>;
  /**
   * Every completed checkout of this shop's orders with what was refunded of it, read page by page (for
   * reconciliation, never on a shopper's path); `onPage` hears how many were read so far.
   */
  listPayments(onPage?: (read: number) => void): Promise<ProviderPayment[]>;
}
