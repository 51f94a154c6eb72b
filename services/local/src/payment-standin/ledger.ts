import {
  hashParam,
  integerParam,
  listParam,
  metadataParam,
  oneOf,
  onlyKnown,
  type ParamNode,
  ParamError,
  requireParam,
  stringParam,
  urlParam,
} from "./params";
import {
  type EventObject,
  type LineItem,
  newId,
  type PaymentIntentObject,
  type RefundObject,
  type SessionObject,
  type SessionRecord,
  type StandinState,
} from "./state";
import type { WebhookSender } from "./webhooks";

/** Stripe's window for `expires_at`, from the session's creation; the default is the end of it. */
const MIN_EXPIRY_SECONDS = 30 * 60;
const MAX_EXPIRY_SECONDS = 24 * 60 * 60;
/** Stripe's largest amount (8 digits in the smallest unit). */
const MAX_AMOUNT = 99_999_999;

/** The test cards the hosted page knows, by number without spaces. */
export const PAYING_CARD = "4242424242424242";
export const DECLINED_CARD = "4000000000000002";

/** An error Stripe would answer after starting to execute a request (so its idempotency key keeps it). */
export class RequestRefused extends ParamError {}

/** Thrown for an id no object has: a 404 on a path, a 400 naming the parameter otherwise. */
export class NoSuchObject extends Error {
  constructor(
    readonly kind: string,
    readonly id: string,
    readonly param?: string,
  ) {
    super(`No such ${kind}: '${id}'`);
  }
}

export type PaymentOutcome =
  | { kind: "paid"; redirect: string }
  | { kind: "declined"; message: string }
  | { kind: "unknown-card" }
  | { kind: "closed"; status: "complete" | "expired"; redirect: string };

interface LedgerOptions {
  state: StandinState;
  webhooks: WebhookSender;
  /** Epoch ms as the sessions see it. */
  clock: () => number;
  /** The stand-in's own base URL, for the hosted pages' addresses. */
  baseUrl: () => string;
}

/**
 * The stand-in's objects and what happens to them: sessions made, paid, declined and expired, payment
 * intents, refunds, and the events each change sends. Every change is made in memory in one go and
 * then saved by the caller before it answers.
 */
export class Ledger {
  constructor(private readonly options: LedgerOptions) {}

  private get data() {
    return this.options.state.data;
  }

  private pageUrl(sessionId: string): string {
    return `${this.options.baseUrl()}/pay/${sessionId}`;
  }

  private nowSeconds(): number {
    return Math.floor(this.options.clock() / 1000);
  }

  /** The session, expired first if its time has passed. */
  session(id: string): SessionRecord | undefined {
    const record = this.data.sessions[id];
    if (!record) return undefined;
    this.expireIfDue(record);
    // The page is wherever the stand-in listens now (its port may have changed since a restart).
    if (record.session.status === "open") record.session.url = this.pageUrl(id);
    return record;
  }

  paymentIntent(id: string): PaymentIntentObject | undefined {
    return this.data.paymentIntents[id];
  }

  refund(id: string): RefundObject | undefined {
    return this.data.refunds[id];
  }

  /** Every session (those past their time expired first), optionally of one status, in the order made. */
  sessions(status?: string): SessionObject[] {
    this.expireDue();
    return Object.values(this.data.sessions)
      .map((record) => record.session)
      .filter((session) => status === undefined || session.status === status);
  }

  /** Every refund, in the order made. */
  refunds(): RefundObject[] {
    return Object.values(this.data.refunds);
  }

  createSession(params: ParamNode, apiVersion: string | null): SessionObject {
    onlyKnown(params, [
      "mode",
      "line_items",
      "currency",
      "client_reference_id",
      "customer_email",
      "metadata",
      "payment_intent_data",
      "payment_method_types",
      "success_url",
      "cancel_url",
      "expires_at",
      "expand",
    ]);
    const mode = requireParam(params.mode, "mode");
    if (mode !== "payment")
      throw new ParamError("The local stand-in supports only mode=payment (no subscriptions or setup).", "mode");
    const rawItems = listParam(requireParam(params.line_items, "line_items"), "line_items") ?? [];
    if (rawItems.length < 1 || rawItems.length > 100)
      throw new ParamError("line_items must have between 1 and 100 items", "line_items");
    let currency = stringParam(params.currency, "currency")?.toLowerCase();
    const lineItems: LineItem[] = rawItems.map((raw, index) => {
      const name = `line_items[${index}]`;
      const item = hashParam(raw, name);
      if (!item) throw new ParamError(`Missing required param: ${name}.`, name, "parameter_missing");
      onlyKnown(item, ["price_data", "quantity"], name);
      const quantity = integerParam(requireParam(item.quantity, `${name}[quantity]`), `${name}[quantity]`, 1, 999_999)!;
      const priceName = `${name}[price_data]`;
      const price = hashParam(requireParam(item.price_data, priceName), priceName)!;
      onlyKnown(price, ["currency", "unit_amount", "product_data"], priceName);
      const itemCurrency = currencyParam(price.currency, `${priceName}[currency]`);
      if (currency !== undefined && itemCurrency !== currency)
        throw new ParamError("All line items must use the same currency as the session.", `${priceName}[currency]`);
      currency = itemCurrency;
      const unitAmount = integerParam(
        requireParam(price.unit_amount, `${priceName}[unit_amount]`),
        `${priceName}[unit_amount]`,
        0,
        MAX_AMOUNT,
      )!;
      const productName = `${priceName}[product_data]`;
      const product = hashParam(requireParam(price.product_data, productName), productName)!;
      onlyKnown(product, ["name", "description"], productName);
      const productTitle = stringParam(
        requireParam(product.name, `${productName}[name]`),
        `${productName}[name]`,
        250,
      )!;
      stringParam(product.description, `${productName}[description]`);
      return { name: productTitle, quantity, unitAmount };
    });
    const total = lineItems.reduce((sum, item) => sum + item.quantity * item.unitAmount, 0);
    if (total > MAX_AMOUNT)
      throw new ParamError(
        `The total amount must be at most ${MAX_AMOUNT} in the smallest currency unit.`,
        "line_items",
      );
    const successUrl = urlParam(requireParam(params.success_url, "success_url"), "success_url")!;
    const cancelUrl = urlParam(params.cancel_url, "cancel_url") ?? null;
    const now = this.nowSeconds();
    const expiresAt = integerParam(params.expires_at, "expires_at", 0, 2 ** 40) ?? now + MAX_EXPIRY_SECONDS;
    if (expiresAt < now + MIN_EXPIRY_SECONDS)
      throw new ParamError(
        "The `expires_at` timestamp must be at least 30 minutes from Checkout Session creation.",
        "expires_at",
      );
    if (expiresAt > now + MAX_EXPIRY_SECONDS)
      throw new ParamError(
        "The `expires_at` timestamp must be less than 24 hours from Checkout Session creation.",
        "expires_at",
      );
    const intentData = hashParam(params.payment_intent_data, "payment_intent_data");
    if (intentData) onlyKnown(intentData, ["metadata", "description"], "payment_intent_data");
    stringParam(intentData?.description, "payment_intent_data[description]", 1_000);
    const methods = listParam(params.payment_method_types, "payment_method_types") ?? [];
    for (const [index, method] of methods.entries()) oneOf(method, `payment_method_types[${index}]`, ["card"]);
    for (const [index, path] of (listParam(params.expand, "expand") ?? []).entries())
      stringParam(path, `expand[${index}]`);

    const id = newId("cs_test_a1", 56);
    const session: SessionObject = {
      id,
      object: "checkout.session",
      amount_subtotal: total,
      amount_total: total,
      cancel_url: cancelUrl,
      client_reference_id: stringParam(params.client_reference_id, "client_reference_id", 200) || null,
      created: now,
      currency: currency!,
      customer: null,
      customer_email: stringParam(params.customer_email, "customer_email", 800) || null,
      expires_at: expiresAt,
      livemode: false,
      metadata: metadataParam(params.metadata, "metadata"),
      mode: "payment",
      payment_intent: null,
      payment_method_types: ["card"],
      payment_status: "unpaid",
      status: "open",
      success_url: successUrl,
      ui_mode: "hosted",
      url: this.pageUrl(id),
    };
    this.data.sessions[id] = {
      session,
      lineItems,
      intentMetadata: metadataParam(intentData?.metadata, "payment_intent_data[metadata]"),
      apiVersion,
    };
    return session;
  }

  /** Expires an open session (Stripe's `POST /v1/checkout/sessions/:id/expire`). */
  expireSession(id: string): SessionObject {
    const record = this.session(id);
    if (!record) throw new NoSuchObject("checkout.session", id);
    if (record.session.status !== "open")
      throw new RequestRefused(
        `Only Checkout Sessions with a status in [open] can be expired. This Checkout Session has a status of ${record.session.status}.`,
        undefined,
        "checkout_session_not_open",
      );
    this.expire(record);
    return record.session;
  }

  /** Expires every open session whose `expires_at` has passed; true when any did. */
  expireDue(): boolean {
    let any = false;
    for (const record of Object.values(this.data.sessions)) any = this.expireIfDue(record) || any;
    return any;
  }

  /** The hosted page's payment with a card number (spaces and dashes allowed). */
  pay(sessionId: string, cardNumber: string): PaymentOutcome {
    const record = this.session(sessionId);
    if (!record) throw new NoSuchObject("checkout.session", sessionId);
    const { session } = record;
    if (session.status !== "open")
      return {
        kind: "closed",
        status: session.status,
        redirect: session.status === "complete" ? successRedirect(session) : (session.cancel_url ?? ""),
      };
    const card = cardNumber.replace(/[\s-]/g, "");
    if (card !== PAYING_CARD && card !== DECLINED_CARD) return { kind: "unknown-card" };
    const intent = this.intentFor(record);
    if (card === DECLINED_CARD) {
      intent.status = "requires_payment_method";
      intent.last_payment_error = {
        type: "card_error",
        code: "card_declined",
        decline_code: "generic_decline",
        message: "Your card was declined.",
      };
      this.emit(record, "payment_intent.payment_failed", intent);
      return { kind: "declined", message: intent.last_payment_error.message };
    }
    intent.status = "succeeded";
    intent.amount_received = intent.amount;
    intent.last_payment_error = null;
    intent.latest_charge = newId("ch_3T");
    session.status = "complete";
    session.payment_status = "paid";
    session.url = null;
    this.emit(record, "payment_intent.succeeded", intent);
    this.emit(record, "checkout.session.completed", session);
    return { kind: "paid", redirect: successRedirect(session) };
  }

  createRefund(params: ParamNode): RefundObject {
    onlyKnown(params, ["payment_intent", "charge", "amount", "reason", "metadata", "expand"]);
    const intentId = stringParam(params.payment_intent, "payment_intent", 255);
    const chargeId = stringParam(params.charge, "charge", 255);
    if (!intentId && !chargeId)
      throw new ParamError("One of `payment_intent` or `charge` is required.", "payment_intent", "parameter_missing");
    const amount = integerParam(params.amount, "amount", 1, MAX_AMOUNT);
    const reason = oneOf(params.reason, "reason", ["duplicate", "fraudulent", "requested_by_customer"]) ?? null;
    const metadata = metadataParam(params.metadata, "metadata");
    const intent = intentId
      ? this.data.paymentIntents[intentId]
      : Object.values(this.data.paymentIntents).find((candidate) => candidate.latest_charge === chargeId);
    if (!intent)
      throw intentId
        ? new NoSuchObject("payment_intent", intentId, "payment_intent")
        : new NoSuchObject("charge", chargeId!, "charge");
    if (intentId && chargeId && intent.latest_charge !== chargeId)
      throw new RequestRefused(`The charge ${chargeId} does not belong to ${intentId}.`, "charge");
    if (intent.status !== "succeeded" || !intent.latest_charge)
      throw new RequestRefused(
        `This PaymentIntent (${intent.id}) does not have a successful charge to refund.`,
        "payment_intent",
        "charge_not_refundable",
      );
    const refunded = Object.values(this.data.refunds)
      .filter((earlier) => earlier.payment_intent === intent.id)
      .reduce((sum, earlier) => sum + earlier.amount, 0);
    const left = intent.amount_received - refunded;
    if (left <= 0)
      throw new RequestRefused(
        `Charge ${intent.latest_charge} has already been refunded.`,
        undefined,
        "charge_already_refunded",
      );
    if (amount !== undefined && amount > left)
      throw new RequestRefused(
        `Refund amount (${amount}) is greater than unrefunded amount on charge (${left})`,
        "amount",
        "amount_too_large",
      );
    const refund: RefundObject = {
      id: newId("re_3T"),
      object: "refund",
      amount: amount ?? left,
      charge: intent.latest_charge,
      created: this.nowSeconds(),
      currency: intent.currency,
      metadata,
      payment_intent: intent.id,
      reason,
      status: "succeeded",
    };
    this.data.refunds[refund.id] = refund;
    this.emitEvent("refund.created", refund, null);
    return refund;
  }

  private intentFor(record: SessionRecord): PaymentIntentObject {
    const existing = record.session.payment_intent && this.data.paymentIntents[record.session.payment_intent];
    if (existing) return existing;
    // Stripe makes the PaymentIntent when the shopper first confirms the page, not with the session.
    const intent: PaymentIntentObject = {
      id: newId("pi_3T"),
      object: "payment_intent",
      amount: record.session.amount_total,
      amount_received: 0,
      currency: record.session.currency,
      created: this.nowSeconds(),
      canceled_at: null,
      last_payment_error: null,
      latest_charge: null,
      livemode: false,
      metadata: { ...record.intentMetadata },
      payment_method_types: ["card"],
      status: "requires_payment_method",
    };
    this.data.paymentIntents[intent.id] = intent;
    record.session.payment_intent = intent.id;
    return intent;
  }

  private expireIfDue(record: SessionRecord): boolean {
    if (record.session.status !== "open" || record.session.expires_at > this.nowSeconds()) return false;
    this.expire(record);
    return true;
  }

  private expire(record: SessionRecord): void {
    const { session } = record;
    session.status = "expired";
    session.url = null;
    const intent = session.payment_intent ? this.data.paymentIntents[session.payment_intent] : undefined;
    if (intent && intent.status !== "succeeded") {
      intent.status = "canceled";
      intent.canceled_at = this.nowSeconds();
      this.emit(record, "payment_intent.canceled", intent);
    }
    this.emit(record, "checkout.session.expired", session);
  }

  private emit(record: SessionRecord, type: string, object: object): void {
    this.emitEvent(type, object, record.apiVersion);
  }

  private emitEvent(type: string, object: object, apiVersion: string | null): void {
    const event: EventObject = {
      id: newId("evt_1T"),
      object: "event",
      api_version: apiVersion,
      created: this.nowSeconds(),
      // A copy: the event shows the object as it was when it happened.
      data: { object: structuredClone(object) },
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      type,
    };
    this.options.webhooks.enqueue(event);
  }
}

function currencyParam(value: ParamNode[string] | undefined, name: string): string {
  const text = stringParam(requireParam(value, name), name)!;
  if (!/^[a-zA-Z]{3}$/.test(text)) throw new ParamError(`Invalid currency: ${text}`, name);
  return text.toLowerCase();
}

function successRedirect(session: SessionObject): string {
  return session.success_url.replaceAll("{CHECKOUT_SESSION_ID}", session.id);
}
