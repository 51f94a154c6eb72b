/** Units are whole numbers; money is integer cents. */
export interface Product {
  sku: string;
  name: string;
  description: string;
  imageUrl: string;
  priceCents: number;
  currency: string;
  /** ISO-8601 instant the sale opens (inclusive). */
  saleStartsAt: string;
  /** ISO-8601 instant the sale closes (exclusive). */
  saleEndsAt: string;
  perCustomerLimit: number;
  /** How many stock shards (distinct partition keys) hold this product's units. */
  shardCount: number;
  /** Units ever loaded: sold + available always equals this. */
  loadedUnits: number;
  /** Set by the first container whose consistent read sees every shard at 0; cleared by adding units. */
  soldOut: boolean;
  /** Units ended holds gave back so far (absent: none): a change says the shards moved (domain/catalog.ts). */
  returnedUnits?: number;
  /** Shoppers queue before buying (domain/waiting-room.ts); a purchase then needs an admission pass. */
  waitingRoom: boolean;
  /** Shoppers admitted per second; absent: derived from the shards' purchase capacity (domain/admission.ts). */
  admissionRate?: number;
  /** Where admission stood when the rate last changed during the sale; absent: 0 admitted at the opening. */
  admissionBase?: AdmissionBase;
  /** `instant`: a purchase confirms the order. `payment`: it holds the units while the shopper pays (domain/holds.ts). */
  checkout: Checkout;
  /** How long a `payment` purchase holds its units (seconds, 10-1800; default 300). */
  holdSeconds: number;
}

export type Checkout = "instant" | "payment";
export const DEFAULT_HOLD_SECONDS = 300;
export const MIN_HOLD_SECONDS = 10;
export const MAX_HOLD_SECONDS = 1_800;

export interface AdmissionBase {
  /** ISO-8601 instant of the change. */
  at: string;
  /** Places admitted by then. */
  admitted: number;
}

/** The product as the HTTP contract shows it. */
export interface ProductView {
  sku: string;
  name: string;
  description: string;
  imageUrl: string;
  priceCents: number;
  currency: string;
  saleStartsAt: string;
  saleEndsAt: string;
  perCustomerLimit: number;
  available: number;
  soldOut: boolean;
  /** Units ever loaded (sold + available): the full length of the storefront's stock bar. */
  loadedUnits: number;
  waitingRoom: boolean;
  checkout: Checkout;
  holdSeconds: number;
}

/** One product's stock in the public availability feed. */
export interface ProductAvailability {
  sku: string;
  available: number;
  soldOut: boolean;
}

/** `GET /availability`: what shoppers poll, public and cached at the edge for a second. */
export interface AvailabilityFeed {
  products: ProductAvailability[];
  /** The server's clock when the feed was made (ISO-8601): storefronts run their countdowns on it. */
  serverTime: string;
}

export interface Order {
  orderId: string;
  sku: string;
  quantity: number;
  priceCents: number;
  totalCents: number;
  currency: string;
  createdAt: string;
  status: OrderStatus;
  /** `payment` products: when the held units go back unless paid (ISO-8601). */
  holdExpiresAt?: string;
  /** While PENDING_PAYMENT: the provider's hosted payment page, which returns to the storefront's order page. */
  checkoutUrl?: string;
  /** The last payment attempt's refusal while still pending ("Your card was declined."). */
  paymentError?: string;
  /** Why the order ended where it did, in the shopper's words (a late payment refunded, a merchandiser's refund). */
  statusReason?: string;
}

/**
 * PENDING_PAYMENT -> CONFIRMED (paid) | EXPIRED (hold ran out) | CANCELLED (shopper gave up);
 * CONFIRMED -> REFUNDED. Instant products' orders start CONFIRMED.
 */
export type OrderStatus = "CONFIRMED" | "PENDING_PAYMENT" | "EXPIRED" | "CANCELLED" | "REFUNDED";

export interface PurchaseRequest {
  shopper: string;
  sku: string;
  quantity: number;
  idempotencyKey: string;
  /** From GET /admission/{sku}; required for products with a waiting room. */
  admissionPass?: string;
}

export type PurchaseErrorCode =
  | "INVALID_REQUEST"
  | "PRODUCT_NOT_FOUND"
  | "SOLD_OUT"
  | "INSUFFICIENT_STOCK"
  | "SALE_NOT_STARTED"
  | "SALE_ENDED"
  | "LIMIT_EXCEEDED"
  | "IDEMPOTENCY_KEY_REUSED"
  | "NOT_ADMITTED"
  | "TRY_AGAIN";

export type PurchaseResult =
  /** `replayed` is true when the idempotency key had already bought this order; `attempts`: shards tried to buy it. */
  | { ok: true; order: Order; replayed: boolean; attempts?: number }
  | { ok: false; code: PurchaseErrorCode; message: string; details?: Record<string, unknown> };
