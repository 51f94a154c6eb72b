import type { Order, Product } from '../core/shop-types';
import { formatPrice } from '../sale/sale-format';

export interface OrderRow {
  orderId: string;
  productName: string;
  quantity: number;
  unitPrice: string;
  total: string;
  placedAt: string;
}

/** Newest first (the API already sorts so; this keeps the page right whatever the source), named and priced for display. */
export function orderRows(orders: readonly Order[], products: readonly Pick<Product, 'sku' | 'name'>[]): OrderRow[] {
  const names = new Map(products.map((product) => [product.sku, product.name]));
  return [...orders]
    .sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt))
    .map((order) => ({
      orderId: order.orderId,
      productName: names.get(order.sku) ?? order.sku,
      quantity: order.quantity,
      unitPrice: formatPrice(order.priceCents, order.currency),
      total: formatPrice(order.totalCents, order.currency),
      placedAt: new Date(order.createdAt).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }),
    }));
}

/** The sum of all orders, one figure per currency (sums across currencies would mean nothing). */
export function grandTotals(orders: readonly Order[]): string[] {
  const sums = new Map<string, number>();
  for (const order of orders) sums.set(order.currency, (sums.get(order.currency) ?? 0) + order.totalCents);
  return [...sums].map(([currency, cents]) => formatPrice(cents, currency));
}
