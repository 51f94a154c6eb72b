import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import type { LocalStack } from '@flash-sale/local/stack';
import type { AvailabilityFeed } from '@flash-sale/services/contract';
import type { NewProduct } from '@flash-sale/services/store';
import { seriousAccessibilityViolations } from './support/axe';
import { launchChromium, screenshot, type watchErrors } from './support/browser';
import { feedLists, signedInPage } from './support/session';
import { startServedStack, WAIT_MS, type ServedStack } from './support/stack';

/** A test's own limit: sign-in, a trip to the payment page and a webhook, on a machine that may be busy. */
const TEST_MS = 120_000;
const PAYS = '4242 4242 4242 4242';
const DECLINED = '4000 0000 0000 0002';

/**
 * Checkout with payment in Chromium: the card's hold, the stand-in's hosted page (the same one the Stripe
 * adapter talks to in `npm start`), the way back to the storefront's order page, and every way a hold ends
 * that a shopper sees. Each test has its own product, shopper and page, so any one runs alone.
 */
describe('checkout with payment in Chromium', () => {
  let stack: LocalStack;
  let served: ServedStack;
  let browser: Browser;
  let context: BrowserContext | undefined;
  let page: Page;
  let pageErrors: ReturnType<typeof watchErrors> | undefined;

  /** A payment product of the test's own, open now, and listed by the public feed before the test goes on. */
  async function paymentProduct(sku: string, holdSeconds: number): Promise<string> {
    const now = Date.now();
    const product: NewProduct = {
      sku,
      name: `Comet Jacket ${sku.slice(-4)}`,
      description: 'Paid for on the hosted payment page.',
      imageUrl: '/images/placeholder.svg',
      priceCents: 12900,
      currency: 'EUR',
      saleStartsAt: new Date(now - 60_000).toISOString(),
      saleEndsAt: new Date(now + 24 * 3_600_000).toISOString(),
      perCustomerLimit: 2,
      shardCount: 2,
      units: 10,
      checkout: 'payment',
      holdSeconds,
    };
    await stack.loadCatalog([product]);
    await feedLists(stack, sku);
    return sku;
  }

  const uniqueSku = (prefix: string) => `${prefix}-${Date.now().toString(36)}`;
  const card = (sku: string): Locator => page.locator(`article[data-sku="${sku}"]`);

  async function available(sku: string): Promise<number> {
    const feed = (await (await fetch(`${stack.apiUrl}/availability`)).json()) as AvailabilityFeed;
    return feed.products.find((product) => product.sku === sku)?.available ?? -1;
  }

  /** Waits until the public feed says `wanted` (it is up to a couple of seconds behind: edge cache, catalog snapshot). */
  async function availableBecomes(sku: string, wanted: number): Promise<void> {
    for (const deadline = Date.now() + WAIT_MS; Date.now() < deadline; ) {
      if ((await available(sku)) === wanted) return;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error(`${sku} never had ${wanted} available (last: ${await available(sku)})`);
  }

  /** Signs in on a page of its own and presses Buy on `sku`: the card then holds the order. */
  async function buyAndHold(sku: string): Promise<void> {
    ({ context, page, pageErrors } = await signedInPage(browser, stack, { prefix: 'e2e-checkout' }));
    await card(sku).getByRole('button', { name: /^Buy/ }).click();
    await card(sku)
      .locator('.hold .held', { hasText: /Your 1 unit is held for \d+:\d\d/ })
      .waitFor();
  }

  /** Follows the card's Pay now to the stand-in's hosted page and pays there with `cardNumber`. */
  async function payOnHostedPage(sku: string, cardNumber: string): Promise<void> {
    await card(sku)
      .getByRole('link', { name: /^Pay now/ })
      .click();
    await page.getByRole('heading', { name: 'Pay' }).waitFor();
    expect(await page.locator('.total').textContent()).toBe('€129.00');
    await page.getByLabel('Card number').fill(cardNumber);
    await page.getByRole('button', { name: 'Pay' }).click();
  }

  const orderStatus = (): Locator => page.locator('app-order-page .status');

  beforeAll(async () => {
    served = await startServedStack('checkout-e2e');
    stack = served.stack;
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await served?.stop();
  }, 30_000);

  afterEach(async () => {
    const seen = pageErrors;
    await context?.close().catch(() => undefined);
    context = undefined;
    pageErrors = undefined;
    if (!seen) return;
    // Any console error or uncaught exception fails the test that caused it; the only refusal a test provokes
    // is the hosted page's own 402 for a declined card.
    expect(seen.errors).toEqual([]);
    expect(seen.httpStatusLines.filter((line) => !/status of 402 /.test(line))).toEqual([]);
  });

  it(
    'pays with 4242 on the hosted page and comes back to an order page that turns Paid when the webhook lands',
    async () => {
      const sku = await paymentProduct(uniqueSku('pay'), 300);
      await buyAndHold(sku);
      await availableBecomes(sku, 9);

      await payOnHostedPage(sku, PAYS);

      await page.waitForURL(/\/orders\/[^/]+$/);
      await page.getByRole('heading', { name: 'Your order' }).waitFor();
      await orderStatus().filter({ hasText: 'Paid' }).waitFor();
      // Paid: nothing left to pay or cancel, and the unit stays sold.
      expect(await page.getByRole('link', { name: /^Pay now/ }).count()).toBe(0);
      expect(await page.getByRole('button', { name: /^Cancel/ }).count()).toBe(0);
      expect(await page.locator('app-order-page .total').textContent()).toBe('€129.00');
      expect(await available(sku)).toBe(9);
      expect(await seriousAccessibilityViolations(page)).toEqual([]);
      await screenshot(page, 'checkout-01-paid-order-page');

      await page.getByRole('link', { name: 'All my orders' }).click();
      await page.getByRole('heading', { name: 'My orders' }).waitFor();
      const row = page.getByRole('listitem').filter({ hasText: 'Comet Jacket' });
      await row.filter({ hasText: 'Paid' }).waitFor();
    },
    TEST_MS,
  );

  it(
    'a declined card is said on the hosted page and on the order page, and the hold still runs until paid',
    async () => {
      const sku = await paymentProduct(uniqueSku('decl'), 300);
      await buyAndHold(sku);

      await payOnHostedPage(sku, DECLINED);

      // Like Stripe's page: the shopper stays, told why, and may try another card.
      await page.getByRole('alert').filter({ hasText: 'Try another card' }).waitFor();
      await page.getByRole('link', { name: /Cancel and return to the shop/ }).click();
      await page.getByRole('heading', { name: 'Your order' }).waitFor();
      await orderStatus().filter({ hasText: 'Payment declined' }).waitFor();
      expect(await orderStatus().textContent()).toMatch(/still waiting for payment/);
      await availableBecomes(sku, 9);
      await screenshot(page, 'checkout-02-declined-order-page');

      // The order page's own Pay now goes back to the same hosted page: another card pays.
      await page.getByRole('link', { name: /^Pay now/ }).click();
      await page.getByRole('heading', { name: 'Pay' }).waitFor();
      await page.getByLabel('Card number').fill(PAYS);
      await page.getByRole('button', { name: 'Pay' }).click();
      await page.getByRole('heading', { name: 'Your order' }).waitFor();
      await orderStatus().filter({ hasText: 'Paid' }).waitFor();
    },
    TEST_MS,
  );

  it(
    'a hold left unpaid counts down to its end, the unit goes back on sale, and the order reads Hold expired',
    async () => {
      const sku = await paymentProduct(uniqueSku('exp'), 15);
      await buyAndHold(sku);
      await availableBecomes(sku, 9);

      // The countdown runs on the server's clock; at 0 the card says so before the sweep has returned the unit.
      await card(sku).locator('.order-ended, .hold[data-phase="ended"]').first().waitFor();
      await availableBecomes(sku, 10);

      await card(sku).getByRole('heading', { name: 'Hold expired' }).waitFor();
      await card(sku).getByRole('link', { name: 'See the order' }).click();
      await page.getByRole('heading', { name: 'Your order' }).waitFor();
      await orderStatus().filter({ hasText: 'Hold expired' }).waitFor();
      expect(await page.getByRole('link', { name: /^Pay now/ }).count()).toBe(0);
      await screenshot(page, 'checkout-03-expired-order-page');
    },
    TEST_MS,
  );

  it(
    'Cancel on the card ends the hold at once and offers the unit again',
    async () => {
      const sku = await paymentProduct(uniqueSku('canc'), 300);
      await buyAndHold(sku);
      await availableBecomes(sku, 9);

      await card(sku)
        .getByRole('button', { name: /^Cancel/ })
        .click();

      await card(sku).getByRole('heading', { name: 'Cancelled' }).waitFor();
      await availableBecomes(sku, 10);
      await card(sku).locator('.units', { hasText: '10 left' }).waitFor();
      await card(sku).getByRole('link', { name: 'See the order' }).click();
      await orderStatus().filter({ hasText: 'Cancelled' }).waitFor();
      expect(await page.getByRole('link', { name: /^Pay now/ }).count()).toBe(0);
    },
    TEST_MS,
  );
});
