import type { Order, Product } from '../core/shop-types';
import { PLACEHOLDER_IMAGE, formatPrice } from '../sale/sale-format';
import { type StatusWords, statusWords } from './order-status';

export interface OrderRow {
  orderId: string;
  productName: string;
  /** The product's picture (a placeholder when the product is no longer in the sale). */
  imageUrl: string;
  quantity: number;
  unitPrice: string;
  total: string;
  placedAt: string;
  status: StatusWords;
}

/**
 * Newest first (the API already sorts so; this keeps the page right whatever the source), named, priced and with
 * its status in words at `now` (the server's clock, ms) for display.
 */
export function orderRows(
  orders: readonly Order[],
  products: readonly (Pick<Product, 'sku' | 'name'> & Partial<Pick<Product, 'imageUrl'>>)[],
  now: number,
): OrderRow[] {
  const bySku = new Map(products.map((product) => [product.sku, product]));
  return [...orders]
    .sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt))
    .map((order) => ({
      orderId: order.orderId,
      productName: bySku.get(order.sku)?.name ?? order.sku,
      imageUrl: bySku.get(order.sku)?.imageUrl || PLACEHOLDER_IMAGE,
      quantity: order.quantity,
      unitPrice: formatPrice(order.priceCents, order.currency),
      total: formatPrice(order.totalCents, order.currency),
      placedAt: formatPlacedAt(order.createdAt),
      status: statusWords(order, now),
    }));
}

/** When an order was placed, in the shopper's locale: "5 Dec 2026, 10:42". */
export function formatPlacedAt(iso: string): string {
  return new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/**
 * The sum of the confirmed orders (bought, or paid), one figure per currency (sums across currencies would mean
 * nothing). Held, expired, cancelled and refunded orders cost the shopper nothing.
 */
export function grandTotals(orders: readonly Order[]): string[] {
  const sums = new Map<string, number>();
  for (const order of orders)
    if (order.status === 'CONFIRMED') sums.set(order.currency, (sums.get(order.currency) ?? 0) + order.totalCents);
  return [...sums].map(([currency, cents]) => formatPrice(cents, currency));
}
