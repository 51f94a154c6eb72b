import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { rename, writeFile } from "node:fs/promises";
import { join } from "node:path";

/**
 * What the stand-in keeps, in one JSON file under its data folder (rewritten whole, through a temporary
 * file and a rename, so a crash leaves the old or the new file, never half of one). The objects are kept
 * in the shapes the API answers with.
 */

export interface LineItem {
  name: string;
  quantity: number;
  unitAmount: number;
}

/** A Checkout Session as Stripe shows it (the fields this stand-in fills). */
export interface SessionObject {
  id: string;
  object: "checkout.session";
  amount_subtotal: number;
  amount_total: number;
  cancel_url: string | null;
  client_reference_id: string | null;
  created: number;
  currency: string;
  customer: null;
  customer_email: string | null;
  expires_at: number;
  livemode: false;
  metadata: Record<string, string>;
  mode: "payment";
  payment_intent: string | null;
  payment_method_types: string[];
  payment_status: "paid" | "unpaid";
  status: "open" | "complete" | "expired";
  success_url: string;
  ui_mode: "hosted";
  url: string | null;
}

export interface SessionRecord {
  session: SessionObject;
  lineItems: LineItem[];
  /** `payment_intent_data[metadata]`: copied onto the PaymentIntent when the shopper pays. */
  intentMetadata: Record<string, string>;
  /** The Stripe-Version the session was made with; its events carry it as `api_version`. */
  apiVersion: string | null;
}

export interface PaymentError {
  type: "card_error";
  code: string;
  decline_code?: string;
  message: string;
}

export interface PaymentIntentObject {
  id: string;
  object: "payment_intent";
  amount: number;
  amount_received: number;
  currency: string;
  created: number;
  canceled_at: number | null;
  last_payment_error: PaymentError | null;
  latest_charge: string | null;
  livemode: false;
  metadata: Record<string, string>;
  payment_method_types: string[];
  status: "requires_payment_method" | "succeeded" | "canceled";
}

export interface RefundObject {
  id: string;
  object: "refund";
  amount: number;
  charge: string;
  created: number;
  currency: string;
  metadata: Record<string, string>;
  payment_intent: string;
  reason: string | null;
  status: "succeeded";
}

export interface EventObject {
  id: string;
  object: "event";
  api_version: string | null;
  created: number;
  data: { object: object };
  livemode: false;
  pending_webhooks: number;
  request: { id: string | null; idempotency_key: string | null };
  type: string;
}

/** An event not yet acknowledged by the webhook endpoint. */
export interface PendingEvent {
  event: EventObject;
  attempts: number;
  /** Epoch ms of the next delivery attempt. */
  nextAttemptAt: number;
  /** Epoch ms when it was first due: the retry budget runs from here. */
  firstDueAt: number;
}

/** A POST answered under an Idempotency-Key: the same key gets the same answer back. */
export interface IdempotentAnswer {
  method: string;
  path: string;
  /** The request's parameters, canonical (sorted), to refuse the key with other parameters. */
  fingerprint: string;
  status: number;
  body: string;
  /** Epoch ms; Stripe forgets keys after 24 hours. */
  at: number;
}

export interface StandinData {
  version: 1;
  sessions: Record<string, SessionRecord>;
  paymentIntents: Record<string, PaymentIntentObject>;
  refunds: Record<string, RefundObject>;
  idempotency: Record<string, IdempotentAnswer>;
  pending: Record<string, PendingEvent>;
}

const FILE_NAME = "payment-standin.json";

export class StandinState {
  readonly data: StandinData;
  private readonly file: string;
  /** A write that has not started yet: everything changed before it starts is in it. */
  private queued: Promise<void> | undefined;
  private last: Promise<void> = Promise.resolve();

  constructor(dataDir: string) {
    mkdirSync(dataDir, { recursive: true });
    this.file = join(dataDir, FILE_NAME);
    this.data = existsSync(this.file) ? readData(this.file) : emptyData();
  }

  /**
   * Writes the whole state; resolves once a write that began after this call has finished (so a caller
   * answers only what is on disk). Calls that arrive while a write is waiting share it.
   */
  save(): Promise<void> {
    if (this.queued) return this.queued;
    const write = this.last.then(async () => {
      this.queued = undefined;
      const temporary = `${this.file}.${process.pid}.tmp`;
      await writeFile(temporary, JSON.stringify(this.data), { mode: 0o600 });
      await rename(temporary, this.file);
    });
    this.queued = write;
    this.last = write.catch(() => undefined);
    return write;
  }

  /** Waits for every write asked for so far. */
  async flushed(): Promise<void> {
    await this.last;
  }
}

function emptyData(): StandinData {
  return { version: 1, sessions: {}, paymentIntents: {}, refunds: {}, idempotency: {}, pending: {} };
}

function readData(file: string): StandinData {
  let parsed: Partial<StandinData>;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8")) as Partial<StandinData>;
  } catch (error) {
    throw new Error(`the payment stand-in's data file ${file} is not JSON (${(error as Error).message}); move it away`);
  }
  if (parsed.version !== 1) throw new Error(`the payment stand-in's data file ${file} has an unknown version`);
  return { ...emptyData(), ...parsed };
}

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** A Stripe-like id: the prefix and random letters and digits (`cs_test_a1B2…`, `pi_3N…`, `evt_…`). */
export function newId(prefix: string, length = 24): string {
  const bytes = randomBytes(length);
  let id = prefix;
  for (const byte of bytes) id += ALPHABET[byte % ALPHABET.length];
  return id;
}
