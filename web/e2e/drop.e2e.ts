import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { LocalStack } from '@flash-sale/local/stack';
import { seriousAccessibilityViolations } from './support/axe';
import { launchChromium, screenshot, type watchErrors } from './support/browser';
import { e2eCatalog } from './support/catalog';
import { buyAsShopper, feedLists, newShopper, PASSWORD, signedInPage } from './support/session';
import { openPage, startServedStack, WAIT_MS, type ServedStack } from './support/stack';

/** A test's own limit: a sign-in on a machine that may be busy. */
const TEST_MS = 120_000;

/**
 * The drop before signing in, product pages and order pages, in Chromium against the real local stack. Each test
 * has its own page (and shopper, when it needs one), so any one of them runs alone.
 */
/** The hoodie's picture, by its content-hashed copy (cached for a year; web/scripts builds it). */
const HOODIE_PICTURE = /^\/media\/images\/demo-hoodie-[A-Z0-9]+\.svg$/;

describe('the drop, product pages and orders in Chromium', () => {
  let stack: LocalStack;
  let served: ServedStack;
  let browser: Browser;
  let context: BrowserContext | undefined;
  let page: Page;
  let pageErrors: ReturnType<typeof watchErrors> | undefined;

  const card = (sku: string) => page.locator(`article[data-sku="${sku}"]`);
  const expectNoSeriousViolations = async () => expect(await seriousAccessibilityViolations(page)).toEqual([]);

  beforeAll(async () => {
    served = await startServedStack('drop-e2e');
    stack = served.stack;
    await stack.loadCatalog(e2eCatalog(Date.now()));
    await feedLists(stack, 'demo-tote');
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
    expect(seen.errors).toEqual([]);
    expect(seen.httpStatusLines).toEqual([]);
  });

  it(
    'shows a visitor the drop without signing in: prices, pictures, countdown and live stock, from public reads only',
    async () => {
      ({ context, page, pageErrors } = await openPage(browser));
      const apiCalls: { path: string; token: boolean }[] = [];
      page.on('request', (request) => {
        if (request.url().startsWith(stack.apiUrl))
          apiCalls.push({
            path: new URL(request.url()).pathname.slice(new URL(stack.apiUrl).pathname.replace(/\/$/, '').length),
            token: request.headers().authorization !== undefined,
          });
      });

      await page.goto(stack.webUrl);
      await page.getByRole('heading', { name: "Today's flash sale" }).waitFor();
      await card('demo-hoodie').getByText('left').waitFor();

      // What drops and when, prices and pictures: an open product with its stock, an upcoming one counting down.
      await expect(card('demo-hoodie').locator('.price').textContent()).resolves.toMatch(/49[.,]00/);
      expect(await card('demo-hoodie').locator('img').getAttribute('src')).toMatch(HOODIE_PICTURE);
      await expect(card('demo-hoodie').locator('.units').textContent()).resolves.toMatch(/^\s*40\s+left/);
      await expect(card('demo-sneakers').textContent()).resolves.toContain('Sale starts in');
      // Nothing asked of the visitor until Buy: no sign-in form on the page, and the header offers it.
      expect(await page.getByLabel('Password').count()).toBe(0);
      await page.getByRole('banner').getByRole('link', { name: 'Sign in' }).waitFor();
      // Live availability keeps coming (the feed is polled), and every call so far went without a token.
      for (const deadline = Date.now() + WAIT_MS; !apiCalls.some((c) => c.path === '/availability'); )
        if (Date.now() > deadline) throw new Error('the page never polled /availability');
        else await page.waitForTimeout(200);
      expect(apiCalls.some((c) => c.path === '/catalog')).toBe(true);
      expect(apiCalls.filter((c) => c.token || !['/catalog', '/availability'].includes(c.path))).toEqual([]);
      await expectNoSeriousViolations();
      await screenshot(page, '40-visitor-sees-the-drop');
    },
    TEST_MS,
  );

  it(
    'asks a visitor to sign in at Buy and brings them back to the product, where the purchase goes through',
    async () => {
      const shopper = await newShopper(stack, 'e2e-drop-buy');
      ({ context, page, pageErrors } = await openPage(browser));
      await page.goto(`${stack.webUrl}/p/demo-tote`);
      await page.getByRole('heading', { level: 1, name: 'Harbour Tote' }).waitFor();

      await page.getByRole('button', { name: 'Buy' }).click();

      await page.getByRole('heading', { name: 'Sign in' }).waitFor();
      expect(new URL(page.url()).searchParams.get('returnUrl')).toBe('/p/demo-tote');
      await page.getByLabel('Email').fill(shopper.email);
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { level: 1, name: 'Harbour Tote' }).waitFor();
      expect(new URL(page.url()).pathname).toBe('/p/demo-tote');
      await page.getByRole('button', { name: 'Buy' }).click();
      await page.getByRole('heading', { name: 'Order confirmed' }).waitFor();
      await expectNoSeriousViolations();
      await screenshot(page, '41-bought-after-sign-in');
    },
    TEST_MS,
  );

  it(
    "opens a product's page straight from its URL, and a plain not-found page for an unknown sku",
    async () => {
      ({ context, page, pageErrors } = await openPage(browser));
      await page.goto(`${stack.webUrl}/p/demo-sneakers`);

      await page.getByRole('heading', { level: 1, name: 'Aurora Sneakers' }).waitFor();
      await expect(page.locator('main').textContent()).resolves.toContain('Sale starts in');
      await page.waitForFunction(() => document.title === 'Aurora Sneakers · Flash sale', undefined, {
        timeout: WAIT_MS,
      });
      await expectNoSeriousViolations();
      await screenshot(page, '42-product-page');

      await page.goto(`${stack.webUrl}/p/no-such-product`);
      await page.getByRole('heading', { level: 1, name: 'This product is not in the sale' }).waitFor();
      await expect(page.locator('main').textContent()).resolves.toContain('no-such-product');
      await page.getByRole('link', { name: 'See what is on sale' }).click();
      await page.getByRole('heading', { name: "Today's flash sale" }).waitFor();
      await page.goto(`${stack.webUrl}/p/no-such-product`);
      await page.getByRole('heading', { level: 1, name: 'This product is not in the sale' }).waitFor();
      await expectNoSeriousViolations();
    },
    TEST_MS,
  );

  it(
    'lists orders like a shop (picture, number, status) and opens each on its own page',
    async () => {
      const shopper = await newShopper(stack, 'e2e-drop-orders');
      await buyAsShopper(stack, shopper, 'demo-hoodie', 2);
      ({ context, page, pageErrors } = await signedInPage(browser, stack, { shopper }));

      await page.getByRole('link', { name: 'My orders' }).click();
      await page.getByRole('heading', { level: 1, name: 'My orders' }).waitFor();
      const row = page.locator('article.order').first();
      await row.waitFor();
      expect(await row.locator('img').getAttribute('src')).toMatch(HOODIE_PICTURE);
      await expect(row.locator('.status').textContent()).resolves.toContain('Confirmed');
      const orderId = (await row.locator('.order-id').textContent())?.trim();
      expect(orderId).toMatch(/^[0-9a-f-]{36}$/);
      await expectNoSeriousViolations();
      await screenshot(page, '43-my-orders');

      await row.getByRole('link', { name: /Midnight Hoodie/ }).click();
      await page.getByRole('heading', { level: 1, name: 'Your order' }).waitFor();
      const details = page.locator('article.order dl');
      await expect(details.textContent()).resolves.toContain(orderId!);
      await expect(details.textContent()).resolves.toMatch(/Quantity\s*2/);
      await expect(details.textContent()).resolves.toMatch(/Total\s*€?98[.,]00/);
      await expect(details.textContent()).resolves.toContain('Confirmed');
      expect(await page.locator('article.order dl time').getAttribute('datetime')).toBeTruthy();
      expect(await page.locator('article.order img').getAttribute('src')).toMatch(HOODIE_PICTURE);
      expect(new URL(page.url()).pathname).toBe(`/orders/${orderId}`);
      await expectNoSeriousViolations();
      await screenshot(page, '44-order-page');

      // The order's product links back to its drop page.
      await page.getByRole('link', { name: 'Midnight Hoodie' }).click();
      await page.getByRole('heading', { level: 1, name: 'Midnight Hoodie' }).waitFor();
    },
    TEST_MS,
  );
});
