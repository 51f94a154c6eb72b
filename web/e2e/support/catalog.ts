import type { NewProduct } from '@flash-sale/services/store';

const MINUTE = 60_000;
const WEEK = 7 * 24 * 60 * MINUTE;

/**
 * The e2e sale, relative to `now`: one open product with a limit of 2, one opening in about a minute
 * (so a countdown is running), one with a single unit (so buying it sells the product out), one that
 * ended yesterday (the grid must put it last), and one more open product, where the shop is made to
 * look busy.
 */
export function e2eCatalog(now: number): NewProduct[] {
  const at = (offset: number) => new Date(now + offset).toISOString();
  const base = { currency: 'EUR', saleEndsAt: at(WEEK), shardCount: 2 };
  return [
    {
      ...base,
      sku: 'demo-cap',
      name: 'Eclipse Cap',
      description: "Last week's drop.",
      imageUrl: '/images/placeholder.svg',
      priceCents: 2900,
      saleStartsAt: at(-2 * WEEK),
      saleEndsAt: at(-24 * 60 * MINUTE),
      perCustomerLimit: 1,
      units: 10,
    },
    {
      ...base,
      sku: 'demo-hoodie',
      name: 'Midnight Hoodie',
      description: 'Heavyweight organic cotton hoodie, limited run.',
      imageUrl: '/images/demo-hoodie.svg',
      priceCents: 4900,
      saleStartsAt: at(-MINUTE),
      perCustomerLimit: 2,
      units: 40,
    },
    {
      ...base,
      sku: 'demo-sneakers',
      name: 'Aurora Sneakers',
      description: 'Hand-finished runners in a colourway made once.',
      imageUrl: '/images/demo-sneakers.svg',
      priceCents: 12900,
      saleStartsAt: at(MINUTE + 30_000),
      perCustomerLimit: 1,
      units: 20,
    },
    {
      ...base,
      sku: 'demo-watch',
      name: 'Meridian Watch',
      description: "Only one made. Blink and it's gone.",
      imageUrl: '/images/demo-watch.svg',
      priceCents: 34900,
      saleStartsAt: at(-MINUTE),
      perCustomerLimit: 1,
      shardCount: 1,
      units: 1,
    },
    {
      ...base,
      sku: 'demo-tote',
      name: 'Harbour Tote',
      description: 'Waxed canvas, stitched by hand.',
      imageUrl: '/images/placeholder.svg',
      priceCents: 3900,
      saleStartsAt: at(-MINUTE),
      perCustomerLimit: 3,
      units: 30,
    },
  ];
}
