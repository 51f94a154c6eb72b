/** The HTTP contract's shapes (DESIGN.md, "HTTP contract"). */
export interface Product {
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
}

export interface Order {
  orderId: string;
  sku: string;
  quantity: number;
  priceCents: number;
  totalCents: number;
  currency: string;
  createdAt: string;
  status: 'CONFIRMED';
}

export interface PurchaseIntent {
  sku: string;
  quantity: number;
  /** Made once per purchase intent and sent again on every retry of it. */
  idempotencyKey: string;
}

/** The codes of the contract's error bodies, `{"error": {"code", "message", ...details}}`. */
export type ErrorCode =
  | 'INVALID_REQUEST'
  | 'PRODUCT_NOT_FOUND'
  | 'SOLD_OUT'
  | 'INSUFFICIENT_STOCK'
  | 'SALE_NOT_STARTED'
  | 'SALE_ENDED'
  | 'LIMIT_EXCEEDED'
  | 'IDEMPOTENCY_KEY_REUSED'
  | 'TRY_AGAIN'
  | 'UNAUTHORIZED'
  | 'ORDER_NOT_FOUND';
