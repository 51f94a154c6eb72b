import type { Product } from '../core/shop-types';

/** Shown when a product has no picture, or its picture fails to load. */
export const PLACEHOLDER_IMAGE = '/images/placeholder.svg';

export type SaleState = 'upcoming' | 'open' | 'sold-out' | 'ended';

/** Where a product's sale stands at `now` (ms). Sold out wins over open; ended wins over all. */
export function saleState(
  product: Pick<Product, 'saleStartsAt' | 'saleEndsAt' | 'available' | 'soldOut'>,
  now: number,
): SaleState {
  if (now >= Date.parse(product.saleEndsAt)) return 'ended';
  if (product.soldOut || product.available <= 0) return 'sold-out';
  if (now < Date.parse(product.saleStartsAt)) return 'upcoming';
  return 'open';
}

/** Integer cents in the product's currency, e.g. 4900 EUR → "€49.00" (in the shopper's locale). */
export function formatPrice(cents: number, currency: string, locale?: string): string {
  const format = new Intl.NumberFormat(locale, { style: 'currency', currency });
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(cents / 10 ** digits);
}

/** Time left as "2d 03:04:05", "03:04:05" or "04:05"; never negative. */
export function formatCountdown(msLeft: number): string {
  const total = Math.max(0, Math.ceil(msLeft / 1000));
  const days = Math.floor(total / 86_400);
  const hours = Math.floor((total % 86_400) / 3_600);
  const minutes = Math.floor((total % 3_600) / 60);
  const seconds = total % 60;
  const pad = (value: number) => String(value).padStart(2, '0');
  const clock =
    hours > 0 || days > 0 ? `${pad(hours)}:${pad(minutes)}:${pad(seconds)}` : `${pad(minutes)}:${pad(seconds)}`;
  return days > 0 ? `${days}d ${clock}` : clock;
}

/** Spoken form of the same, for screen readers: "1 minute 5 seconds". */
export function describeCountdown(msLeft: number): string {
  const total = Math.max(0, Math.ceil(msLeft / 1000));
  const parts: [number, string][] = [
    [Math.floor(total / 86_400), 'day'],
    [Math.floor((total % 86_400) / 3_600), 'hour'],
    [Math.floor((total % 3_600) / 60), 'minute'],
    [total % 60, 'second'],
  ];
  const said = parts.filter(([value]) => value > 0).map(([value, unit]) => `${value} ${unit}${value === 1 ? '' : 's'}`);
  return said.length > 0 ? said.join(' ') : '0 seconds';
}

/** The stock bar's fill, 0..1: units available out of units ever loaded ("1 left" of 40 is a sliver, not a full bar). */
export function stockFraction(available: number, loadedUnits: number): number {
  if (loadedUnits <= 0 || available <= 0) return 0;
  return Math.min(1, available / loadedUnits);
}

/**
 * What the shopper has of a product against its limit: "You bought 1 of 2", "You have 2 of 2 on hold",
 * "You bought 1 and hold 1 of 2"; '' when nothing.
 */
export function allowanceWords(bought: number, held: number, perCustomerLimit: number): string {
  if (held > 0 && bought > 0) return `You bought ${bought} and hold ${held} of ${perCustomerLimit}`;
  if (held > 0) return `You have ${held} of ${perCustomerLimit} on hold`;
  return bought > 0 ? `You bought ${bought} of ${perCustomerLimit}` : '';
}

/** The quantities a shopper may pick: 1 up to the per-customer limit or what is left, whichever is lower. */
export function quantityChoices(perCustomerLimit: number, available: number): number[] {
  const most = Math.max(0, Math.min(perCustomerLimit, available));
  return Array.from({ length: most }, (_, index) => index + 1);
}

const STATE_RANK: Record<SaleState, number> = { open: 0, upcoming: 1, 'sold-out': 2, ended: 3 };

/**
 * The grid's order: what can be bought now first, then what opens next (soonest first), then what
 * sold out, and what has ended last. Within a group the catalog's own order stays.
 */
export function saleOrder<T extends Pick<Product, 'saleStartsAt' | 'saleEndsAt' | 'available' | 'soldOut'>>(
  products: readonly T[],
  now: number,
): T[] {
  return products
    .map((product, index) => ({ product, index, state: saleState(product, now) }))
    .sort(
      (a, b) =>
        STATE_RANK[a.state] - STATE_RANK[b.state] ||
        (a.state === 'upcoming' ? Date.parse(a.product.saleStartsAt) - Date.parse(b.product.saleStartsAt) : 0) ||
        a.index - b.index,
    )
    .map(({ product }) => product);
}

/**
 * The grid's order while a page is shown: the cards already shown keep their places, whatever happens to them
 * (opening, selling out, ending), so a card never moves under the shopper's finger; products added to the sale
 * meanwhile follow them, in `ordered`'s order; products gone are dropped. `ordered` is the fresh list in
 * saleOrder, which alone decides a first showing (and a reload).
 */
export function keepPlaces<T extends Pick<Product, 'sku'>>(
  shown: readonly T[] | undefined,
  ordered: readonly T[],
): T[] {
  const fresh = new Map(ordered.map((product) => [product.sku, product]));
  const kept = (shown ?? []).flatMap((product) => fresh.get(product.sku) ?? []);
  const keptSkus = new Set(kept.map((product) => product.sku));
  return [...kept, ...ordered.filter((product) => !keptSkus.has(product.sku))];
}
