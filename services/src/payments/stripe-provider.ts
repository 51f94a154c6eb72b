import Stripe from "stripe";
import {
  type CheckoutRequest,
  type CheckoutSession,
  InvalidWebhookError,
  type PaymentEvent,
  type PaymentProvider,
  type ProviderPayment,
} from "../domain/payments";

export interface StripeProviderOptions {
  /** The secret API key (`sk_live_…` / `sk_test_…`). */
  secretKey: string;
  /** The webhook endpoint's signing secret (`whsec_…`). */
  webhookSecret: string;
  /** Where the API is: Stripe's own by default; the local stand-in gives its host, port and protocol. */
  host?: string;
  port?: number;
  protocol?: "http" | "https";
  /**
   * One API call's limit (the SDK's default is 80 s, far past what a shopper waits for). The SDK retries
   * a failed call twice with the same idempotency key, so a call can take up to about three times this.
   */
  timeoutMs?: number;
  /** The SDK's own retries of a failed call (same idempotency key), after the first try; its default is 2. */
  maxNetworkRetries?: number;
}

/** Stripe's window for a Checkout Session's `expires_at`, counted from the session's creation. */
const MIN_EXPIRY_SECONDS = 30 * 60;
const MAX_EXPIRY_SECONDS = 24 * 60 * 60;
/** Room for the clock difference between here and Stripe and for the call's own time. */
const EXPIRY_MARGIN_SECONDS = 60;

/**
 * The payment port on Stripe: hosted Checkout Sessions, verified webhooks, refunds, through the
 * official SDK. Make one per container (module scope): it holds the SDK client and its connections.
 */
export function createStripeProvider(options: StripeProviderOptions): PaymentProvider {
  const stripe = new Stripe(options.secretKey, {
    timeout: options.timeoutMs ?? 5_000,
    ...(options.maxNetworkRetries !== undefined ? { maxNetworkRetries: options.maxNetworkRetries } : {}),
    ...(options.host !== undefined ? { host: options.host } : {}),
    ...(options.port !== undefined ? { port: options.port } : {}),
    ...(options.protocol !== undefined ? { protocol: options.protocol } : {}),
  });

  const createSession = (request: CheckoutRequest, withExpiry: boolean) =>
    stripe.checkout.sessions.create(checkoutParams(request, withExpiry), {
      // The same order always names the same session: a retried createCheckout (the SDK's own retries, a
      // retried purchase, a second container) gets the session made the first time, never a second one.
      idempotencyKey: `checkout-${request.orderId}`,
    });

  return {
    async createCheckout(request) {
      const withExpiry = expiryFits(request.expiresAt, Date.now());
      let session: Stripe.Checkout.Session;
      try {
        session = await createSession(request, withExpiry);
      } catch (error) {
        // Whether `expires_at` fits depends on the time of the call, so a retry near the 30-minute line
        // can differ from the first call in that one parameter, which Stripe refuses under the same key.
        // The other choice is then the first call's request: Stripe answers it with the first session.
        if (!(error instanceof Stripe.errors.StripeIdempotencyError)) throw error;
        session = await createSession(request, !withExpiry);
      }
      if (!session.url) throw new Error(`Stripe returned checkout session ${session.id} without a URL`);
      return { id: session.id, url: session.url } satisfies CheckoutSession;
    },

    async readWebhook(rawBody, signature) {
      if (!signature) throw new InvalidWebhookError("The webhook has no Stripe-Signature header.");
      let event: Stripe.Event;
      try {
        event = stripe.webhooks.constructEvent(rawBody, signature, options.webhookSecret);
      } catch (error) {
        throw new InvalidWebhookError(`The webhook does not verify: ${(error as Error).message}`);
      }
      return paymentEvent(event);
    },

    async refund(paymentId, orderId) {
      const refund = await stripe.refunds.create(
        { payment_intent: paymentId },
        // One refund per order, however often it is asked for.
        { idempotencyKey: `refund-${orderId}` },
      );
      return { refundId: refund.id };
    },

    async listPayments(onPage) {
      // Refunds first: a session shows its PaymentIntent, not what went back of it.
      const refunded = new Map<string, number>();
      for await (const refund of stripe.refunds.list({ limit: LIST_PAGE })) {
        const intent = typeof refund.payment_intent === "string" ? refund.payment_intent : refund.payment_intent?.id;
        if (intent && refund.status !== "failed" && refund.status !== "canceled")
          refunded.set(intent, (refunded.get(intent) ?? 0) + refund.amount);
      }
      const payments: ProviderPayment[] = [];
      let read = 0;
      // The SDK's auto-pagination follows `starting_after` over every page.
      for await (const session of stripe.checkout.sessions.list({ status: "complete", limit: LIST_PAGE })) {
        if (++read % LIST_PAGE === 0) onPage?.(read);
        const orderId = session.metadata?.orderId;
        if (!orderId) continue; // someone else's checkout on the same account
        const paymentId =
          typeof session.payment_intent === "string" ? session.payment_intent : session.payment_intent?.id;
        payments.push({
          sessionId: session.id,
          ...(paymentId ? { paymentId } : {}),
          orderId,
          sku: session.metadata?.sku ?? "",
          amountCents: session.amount_total ?? 0,
          paid: session.payment_status === "paid",
          refundedCents: paymentId ? (refunded.get(paymentId) ?? 0) : 0,
        });
      }
      onPage?.(read);
      return payments;
    },
  };
}

/** Stripe's largest list page. */
const LIST_PAGE = 100;

/**
 * Whether the hold's end can be the session's `expires_at`. Stripe accepts only 30 minutes to 24 hours
 * after creation, so a shorter hold (every hold the catalog allows: at most 1,800 s, counted from the
 * purchase) gets no `expires_at` and Stripe's default of 24 hours: the shop's own expiry sweep ends the
 * hold, and a payment that arrives after it is handled as a late payment (units re-taken or refunded).
 */
function expiryFits(expiresAt: string, nowMs: number): boolean {
  const ahead = Math.floor(Date.parse(expiresAt) / 1000) - Math.floor(nowMs / 1000);
  return ahead >= MIN_EXPIRY_SECONDS + EXPIRY_MARGIN_SECONDS && ahead <= MAX_EXPIRY_SECONDS - EXPIRY_MARGIN_SECONDS;
}

function checkoutParams(request: CheckoutRequest, withExpiry: boolean): Stripe.Checkout.SessionCreateParams {
  const metadata = { orderId: request.orderId, shopper: request.shopper, sku: request.sku };
  // The page shows "quantity × unit price" when the total divides evenly; otherwise one line of the
  // whole total, so what Stripe charges is always exactly totalCents.
  const evenly = request.quantity >= 1 && request.totalCents % request.quantity === 0;
  return {
    mode: "payment",
    line_items: [
      {
        quantity: evenly ? request.quantity : 1,
        price_data: {
          currency: request.currency.toLowerCase(),
          unit_amount: evenly ? request.totalCents / request.quantity : request.totalCents,
          product_data: { name: evenly ? request.productName : `${request.quantity} × ${request.productName}` },
        },
      },
    ],
    client_reference_id: request.orderId,
    metadata,
    // Copied onto the PaymentIntent, so its events (payment_intent.payment_failed) name the order too.
    payment_intent_data: { metadata },
    success_url: request.successUrl,
    cancel_url: request.cancelUrl,
    ...(withExpiry ? { expires_at: Math.floor(Date.parse(request.expiresAt) / 1000) } : {}),
  };
}

/** The order a Stripe object belongs to, from the metadata set at checkout; undefined for someone else's. */
function orderOf(metadata: Stripe.Metadata | null | undefined): { orderId: string; shopper: string } | undefined {
  const orderId = metadata?.orderId;
  const shopper = metadata?.shopper;
  return orderId && shopper ? { orderId, shopper } : undefined;
}

/**
 * The shop's view of a verified Stripe event. Undefined for events the shop does not act on, including
 * events of objects that no checkout of this shop made (no order in their metadata): they are answered
 * 200 so Stripe stops sending them. An event of ours that lacks what the shop needs is malformed.
 */
function paymentEvent(event: Stripe.Event): PaymentEvent | undefined {
  switch (event.type) {
    case "checkout.session.completed":
    case "checkout.session.async_payment_succeeded": {
      const session = event.data.object;
      const order = orderOf(session.metadata);
      // A completed session with a delayed payment method is not paid yet: async_payment_succeeded follows.
      if (!order || session.payment_status !== "paid") return undefined;
      const paymentId =
        typeof session.payment_intent === "string" ? session.payment_intent : session.payment_intent?.id;
      if (!paymentId || session.amount_total === null || !session.currency)
        throw new InvalidWebhookError(`Event ${event.id}: a paid session without its payment, amount or currency.`);
      return {
        kind: "paid",
        eventId: event.id,
        ...order,
        paymentId,
        amountCents: session.amount_total,
        // Stripe writes ISO codes in lower case; the catalog in upper case.
        currency: session.currency.toUpperCase(),
      };
    }
    case "checkout.session.expired": {
      const order = orderOf(event.data.object.metadata);
      return order && { kind: "checkout-expired", eventId: event.id, ...order };
    }
    case "payment_intent.payment_failed": {
      const intent = event.data.object;
      const order = orderOf(intent.metadata);
      const failure = intent.last_payment_error;
      return (
        order && {
          kind: "declined",
          eventId: event.id,
          ...order,
          reason: failure?.message ?? failure?.decline_code ?? failure?.code ?? "The payment failed.",
        }
      );
    }
    default:
      return undefined;
  }
}

/** The SDK's host, port and protocol for a Stripe-speaking URL (the local stand-in, or a proxy in front of Stripe). */
export function stripeEndpointAt(url: string): Required<Pick<StripeProviderOptions, "host" | "port" | "protocol">> {
  const parsed = new URL(url);
  const protocol = parsed.protocol === "http:" ? "http" : "https";
  return { host: parsed.hostname, port: Number(parsed.port) || (protocol === "http" ? 80 : 443), protocol };
}
