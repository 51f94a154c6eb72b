import type { NewProduct } from "@flash-sale/services/store";

const MINUTE = 60_000;
const WEEK = 7 * 24 * 60 * MINUTE;

/** How long a demo payment product holds its units while the shopper pays on the stand-in's page. */
const DEMO_HOLD_SECONDS = 300;

/**
 * The demo sale, relative to start-up: one sale open now, one opening a few minutes later (so the
 * countdown is visible), one with tiny stock (so the sold-out path is one click away), and one drop
 * behind a waiting room opening a few minutes after start (join the line before it opens). The main
 * products take payment (Buy holds the units for 5 minutes; Pay now opens the local stand-in's page,
 * where 4242 4242 4242 4242 pays); the watch stays instant (Buy confirms at once). Names, descriptions and
 * pictures read as a shop's (test/demo-catalog.test.ts): how the demo works belongs here, not in the copy.
 */
export function demoCatalog(now: number): NewProduct[] {
  const at = (offset: number) => new Date(now + offset).toISOString();
  return [
    {
      sku: "demo-hoodie",
      name: "Midnight Hoodie",
      description:
        "Heavyweight organic cotton fleece in midnight navy, with a lined hood, drawcords and a kangaroo pocket.",
      imageUrl: "/images/demo-hoodie.svg",
      priceCents: 4900,
      currency: "EUR",
      saleStartsAt: at(-MINUTE),
      saleEndsAt: at(WEEK),
      perCustomerLimit: 2,
      shardCount: 8,
      units: 500,
      checkout: "payment",
      holdSeconds: DEMO_HOLD_SECONDS,
    },
    {
      sku: "demo-sneakers",
      name: "Aurora Sneakers",
      description:
        "Lightweight knit runners on a cushioned white sole, in a teal-to-pink colourway made for this release only.",
      imageUrl: "/images/demo-sneakers.svg",
      priceCents: 12900,
      currency: "EUR",
      saleStartsAt: at(3 * MINUTE),
      saleEndsAt: at(WEEK),
      perCustomerLimit: 1,
      shardCount: 8,
      units: 200,
      checkout: "payment",
      holdSeconds: DEMO_HOLD_SECONDS,
    },
    {
      sku: "demo-watch",
      name: "Meridian Watch",
      description:
        "Automatic watch with a gold-tone case, a midnight dial and a brown leather strap. Three made, numbered.",
      imageUrl: "/images/demo-watch.svg",
      priceCents: 34900,
      currency: "EUR",
      saleStartsAt: at(-MINUTE),
      saleEndsAt: at(WEEK),
      perCustomerLimit: 1,
      shardCount: 2,
      units: 3,
    },
    {
      sku: "demo-jacket",
      name: "Comet Jacket",
      description:
        "Water-resistant shell in sunset orange, with a stand-up collar, a full-length zip and zipped hand pockets.",
      imageUrl: "/images/demo-jacket.svg",
      priceCents: 19900,
      currency: "EUR",
      saleStartsAt: at(4 * MINUTE),
      saleEndsAt: at(WEEK),
      perCustomerLimit: 1,
      shardCount: 4,
      units: 100,
      checkout: "payment",
      holdSeconds: DEMO_HOLD_SECONDS,
      waitingRoom: true,
      // One shopper a second: slow enough to watch a line move with a few browsers.
      admissionRate: 1,
    },
  ];
}

export const DEMO_SHOPPER = { email: "shopper@example.com", password: "FlashSale1!" };
