import type { NewProduct } from "../store/merchandising";

const MINUTE = 60_000;
const WEEK = 7 * 24 * 60 * MINUTE;

/**
 * The demo sale, relative to start-up: one sale open now, one opening a few minutes later (so the
 * countdown is visible), and one with tiny stock (so the sold-out path is one click away).
 */
export function demoCatalog(now: number): NewProduct[] {
  const at = (offset: number) => new Date(now + offset).toISOString();
  return [
    {
      sku: "demo-hoodie",
      name: "Midnight Hoodie",
      description: "Heavyweight organic cotton hoodie, limited run.",
      imageUrl: "/images/demo-hoodie.svg",
      priceCents: 4900,
      currency: "EUR",
      saleStartsAt: at(-MINUTE),
      saleEndsAt: at(WEEK),
      perCustomerLimit: 2,
      shardCount: 8,
      units: 500,
    },
    {
      sku: "demo-sneakers",
      name: "Aurora Sneakers",
      description: "Hand-finished runners in a colourway made once.",
      imageUrl: "/images/demo-sneakers.svg",
      priceCents: 12900,
      currency: "EUR",
      saleStartsAt: at(3 * MINUTE),
      saleEndsAt: at(WEEK),
      perCustomerLimit: 1,
      shardCount: 8,
      units: 200,
    },
    {
      sku: "demo-watch",
      name: "Meridian Watch",
      description: "Only three made. Blink and it's gone.",
      imageUrl: "/images/demo-watch.svg",
      priceCents: 34900,
      currency: "EUR",
      saleStartsAt: at(-MINUTE),
      saleEndsAt: at(WEEK),
      perCustomerLimit: 1,
      shardCount: 2,
      units: 3,
    },
  ];
}

export const DEMO_SHOPPER = { email: "shopper@example.com", password: "FlashSale1!" };
