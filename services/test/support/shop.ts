import { randomBytes, randomUUID } from "node:crypto";
import { Shop, type ShopOptions } from "../../src/domain/shop";
import { DynamoAdmissionStore } from "../../src/store/admission-store";
import { DynamoShopStore } from "../../src/store/dynamo-store";
import { DynamoOrderLifecycleStore } from "../../src/store/order-lifecycle-store";
import {
  type CheckoutRequest,
  InvalidWebhookError,
  type PaymentEvent,
  type PaymentProvider,
} from "../../src/domain/payments";
import { createProduct, type NewProduct } from "../../src/store/merchandising";
import { scanTable } from "../../src/store/scan";
import type { createTestTable } from "./table";

export type TestTable = Awaited<ReturnType<typeof createTestTable>>;

const HOUR = 3_600_000;

export function aProduct(overrides: Partial<NewProduct> = {}): NewProduct {
  return {
    sku: `sku-${randomUUID().slice(0, 8)}`,
    name: "Limited sneaker",
    description: "Only a few pairs",
    imageUrl: "https://example.com/sneaker.png",
    priceCents: 12_999,
    currency: "EUR",
    saleStartsAt: new Date(Date.now() - HOUR).toISOString(),
    saleEndsAt: new Date(Date.now() + HOUR).toISOString(),
    perCustomerLimit: 5,
    shardCount: 4,
    units: 20,
    ...overrides,
  };
}

/** A "container": its own Shop (own snapshot and stock knowledge) over the shared table. */
export function aContainer(table: TestTable, options: ShopOptions = {}): Shop {
  return new Shop(new DynamoShopStore(table.doc, table.tableName), options);
}

/** One admission key per test run, shared by every container as the Pulumi program's key is by every function. */
export const TEST_ADMISSION_KEY = randomBytes(32);

/** A container with the waiting room configured (store and key), like the deployed functions. */
export function aWaitingRoomContainer(table: TestTable, options: ShopOptions & { passTtlMs?: number } = {}): Shop {
  const { passTtlMs, ...shopOptions } = options;
  const admission = {
    store: new DynamoAdmissionStore(table.doc, table.tableName),
    key: TEST_ADMISSION_KEY,
    ...(passTtlMs ? { passTtlMs } : {}),
  };
  return new Shop(new DynamoShopStore(table.doc, table.tableName), { ...shopOptions, admission });
}

/** A payment provider at the edge of the unit: pages per order, refunds counted (the stand-in is tested apart). */
export class RecordingProvider implements PaymentProvider {
  readonly sessions = new Map<string, CheckoutRequest>();
  readonly refunds: { paymentId: string; orderId: string }[] = [];
  failCheckout = false;
  failRefunds = false;

  async createCheckout(request: CheckoutRequest) {
    if (this.failCheckout) throw new Error("provider down");
    this.sessions.set(request.orderId, request);
    return { id: `cs_${request.orderId}`, url: `https://pay.example/${request.orderId}` };
  }

  /** A webhook whose "signature" is `valid` carries one PaymentEvent as JSON (see `webhookOf`). */
  async readWebhook(rawBody: string, signature: string | undefined): Promise<PaymentEvent | undefined> {
    if (signature !== "valid") throw new InvalidWebhookError("No signatures found matching the expected signature");
    return JSON.parse(rawBody) as PaymentEvent;
  }

  async refund(paymentId: string, orderId: string) {
    if (this.failRefunds) throw new Error("connect ECONNREFUSED (provider down)");
    if (!this.refunds.some((refund) => refund.orderId === orderId && refund.paymentId === paymentId))
      this.refunds.push({ paymentId, orderId });
    return { refundId: `re_${orderId}` };
  }

  /** Reconciliation is tested against the stand-in; this provider took no payments of its own. */
  async listPayments() {
    return [];
  }
}

/** The webhook RecordingProvider reads as `event`. */
export const webhookOf = (event: PaymentEvent) => ({ rawBody: JSON.stringify(event), signature: "valid" });

/** A container that takes payments through `provider`, like the deployed functions with Stripe. */
export function aCheckoutContainer(table: TestTable, provider: PaymentProvider, options: ShopOptions = {}): Shop {
  return new Shop(new DynamoShopStore(table.doc, table.tableName), {
    ...options,
    payments: {
      provider,
      store: new DynamoOrderLifecycleStore(table.doc, table.tableName),
      orderPageUrl: (orderId) => `http://shop.example/orders/${orderId}`,
    },
  });
}

export async function loadProduct(table: TestTable, product: NewProduct): Promise<NewProduct> {
  await createProduct(table.doc, table.tableName, product);
  return product;
}

export const newKey = () => randomUUID();

/** Everything in the table, for invariant checks straight from the engine. */
export const scanAll = (table: TestTable) => scanTable(table.doc, table.tableName);

/** The stock picture of one product read from the table: shards, orders and per-customer counts. */
export async function stockOf(table: TestTable, sku: string) {
  const items = await scanAll(table);
  const shards = items
    .filter((item) => String(item.pk).startsWith(`STOCK#${sku}#`))
    .sort((a, b) => String(a.pk).localeCompare(String(b.pk), undefined, { numeric: true }))
    .map((item) => Number(item.units));
  const orders = items.filter((item) => item.type === "ORDER" && item.sku === sku);
  const limits = items.filter((item) => item.sk === `LIMIT#${sku}`);
  const product = items.find((item) => item.sk === `PRODUCT#${sku}`);
  return {
    shards,
    available: shards.reduce((sum, units) => sum + units, 0),
    orders,
    unitsSold: orders.reduce((sum, order) => sum + Number(order.quantity), 0),
    limits,
    product,
    loadedUnits: Number(product?.loadedUnits),
  };
}
