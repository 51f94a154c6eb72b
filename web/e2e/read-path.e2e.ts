import type { Browser, BrowserContext, Page, Request } from 'playwright-core';
import type { LocalStack } from '@flash-sale/local/stack';
import type { NewProduct } from '@flash-sale/services/store';
import { launchChromium, watchErrors } from './support/browser';
import { e2eCatalog } from './support/catalog';
import { startServedStack, type ServedStack } from './support/stack';

const MINUTE = 60_000;
const PASSWORD = 'FlashSale1!';

/**
 * The read path in Chromium against the real local stack: what the sale page asks of the API while a shopper
 * watches, and that a browser whose own clock is wrong still opens and closes the sale on the server's time.
 */
describe('sale page read path in Chromium', () => {
  let stack: LocalStack;
  let browser: Browser;
  let served: ServedStack;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    served = await startServedStack('storefront-read-path');
    stack = served.stack;
    await stack.loadCatalog(e2eCatalog(Date.now()));
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await served?.stop();
  }, 30_000);

  /** A signed-in shopper's page; `skewMs` moves the browser's own clock (Date) that far from the real time. */
  async function signedInPage(skewMs = 0): Promise<{ page: Page; errors: string[] }> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
    contexts.push(context);
    context.setDefaultTimeout(15_000);
    if (skewMs !== 0) {
      await context.addInitScript((skew: number) => {
        const RealDate = Date;
        class SkewedDate extends RealDate {
          constructor(...args: ConstructorParameters<DateConstructor> | []) {
            if (args.length === 0) super(RealDate.now() + skew);
            else super(...(args as ConstructorParameters<DateConstructor>));
          }
          static override now(): number {
            return RealDate.now() + skew;
          }
        }
        globalThis.Date = SkewedDate as DateConstructor;
      }, skewMs);
    }
    const page = await context.newPage();
    const { errors } = watchErrors(page);
    const email = `read-${Date.now()}-${Math.random().toString(36).slice(2, 7)}@example.com`;
    await stack.createShopper(email, PASSWORD);
    await page.goto(stack.webUrl);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: "Today's flash sale" }).waitFor();
    return { page, errors };
  }

  it("reads the signed-in listing and the shopper's orders once, then polls only the public feed, without a token", async () => {
    const apiCalls: Request[] = [];
    const { page, errors } = await signedInPage();
    page.on('request', (request) => {
      if (request.url().startsWith(stack.apiUrl)) apiCalls.push(request);
    });

    await page.reload();
    await page.locator('article[data-sku]').first().waitFor();
    await page.waitForTimeout(9_000);

    const paths = apiCalls
      .filter((request) => request.method() === 'GET')
      .map((request) => new URL(request.url()).pathname);
    process.stdout.write(
      `\nsale page, ~9 s: ${paths.filter((p) => p === '/products').length} listing call(s), ${paths.filter((p) => p === '/availability').length} /availability polls\n`,
    );
    expect(paths.filter((path) => path === '/products')).toHaveLength(1);
    expect(paths.filter((path) => path === '/availability').length).toBeGreaterThanOrEqual(3);
    // The shopper's own orders are read once too, for "You bought n of m" on each card.
    expect(paths.filter((path) => path !== '/products' && path !== '/availability')).toEqual(['/orders']);
    const feedHeaders = await Promise.all(
      apiCalls.filter((request) => request.url().endsWith('/availability')).map((request) => request.allHeaders()),
    );
    expect(feedHeaders.filter((headers) => 'authorization' in headers)).toEqual([]);
    expect(errors).toEqual([]);
  }, 60_000);

  it.each([
    ['20 minutes fast', 20 * MINUTE],
    ['20 minutes slow', -20 * MINUTE],
  ])(
    "a browser clock %s still opens Buy and ends the sale within a second of the server's instants",
    async (_name, skewMs) => {
      const { page, errors } = await signedInPage(skewMs);
      const now = Date.now();
      const sku = `skew-${skewMs > 0 ? 'fast' : 'slow'}`;
      const product: NewProduct = {
        sku,
        name: 'Skewed-clock tee',
        description: "Opens on the server's time.",
        imageUrl: '/images/demo-hoodie.svg',
        priceCents: 1900,
        currency: 'EUR',
        saleStartsAt: new Date(now + 8_000).toISOString(),
        saleEndsAt: new Date(now + 14_000).toISOString(),
        perCustomerLimit: 1,
        shardCount: 1,
        units: 5,
      };
      await stack.loadCatalog([product]);
      await page.waitForTimeout(1_100); // the API's catalog snapshot is at most a second old
      await page.reload();
      const card = page.locator(`article[data-sku="${sku}"]`);
      await card.waitFor();
      expect(await card.getAttribute('data-state')).toBe('upcoming');

      // Record, on the page's real time (performance.timeOrigin is not Date), when Buy appears and when the sale ends.
      const seen = page.evaluate(
        (selector) =>
          new Promise<{ opened: number; ended: number }>((resolve) => {
            const realNow = () => performance.timeOrigin + performance.now();
            let opened = 0;
            const check = () => {
              const article = document.querySelector(selector);
              const buy = [...(article?.querySelectorAll('button') ?? [])].some((button) =>
                /^Buy\b/.test(button.textContent?.trim() ?? ''),
              );
              if (!opened && buy) opened = realNow();
              if (opened && article?.getAttribute('data-state') === 'ended') {
                observer.disconnect();
                resolve({ opened, ended: realNow() });
              }
            };
            const observer = new MutationObserver(check);
            observer.observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
            check();
          }),
        `article[data-sku="${sku}"]`,
      );
      const { opened, ended } = await seen;

      const start = Date.parse(product.saleStartsAt);
      const end = Date.parse(product.saleEndsAt);
      process.stdout.write(
        `\nclock ${skewMs > 0 ? '+' : ''}${skewMs / MINUTE} min: Buy opened ${Math.round(opened - start)} ms, sale ended ${Math.round(ended - end)} ms after the server's instants\n`,
      );
      expect(opened - start).toBeGreaterThan(-1_000);
      expect(opened - start).toBeLessThan(1_000);
      expect(ended - end).toBeGreaterThan(-1_000);
      expect(ended - end).toBeLessThan(1_000);
      expect(errors).toEqual([]);
    },
    60_000,
  );
});
