import type { Browser, BrowserContext, Page, Request } from 'playwright-core';
import type { LocalStack } from '@flash-sale/local/stack';
import type { NewProduct } from '@flash-sale/services/store';
import { launchChromium } from './support/browser';
import { e2eCatalog } from './support/catalog';
import { feedLists, signedInPage } from './support/session';
import { startServedStack, WAIT_MS, type ServedStack } from './support/stack';

const MINUTE = 60_000;

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
  async function signedInPageWithClock(skewMs = 0): Promise<{ page: Page; errors: string[] }> {
    const opened = await signedInPage(browser, stack, {
      prefix: 'read',
      prepare: async (context) => {
        if (skewMs === 0) return;
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
      },
    });
    contexts.push(opened.context);
    return { page: opened.page, errors: opened.pageErrors.errors };
  }

  it("reads the signed-in listing and the shopper's orders once, then polls only the public feed, without a token", async () => {
    const apiCalls: Request[] = [];
    const { page, errors } = await signedInPageWithClock();
    page.on('request', (request) => {
      if (request.url().startsWith(stack.apiUrl)) apiCalls.push(request);
    });

    await page.reload();
    await page.locator('article[data-sku]').first().waitFor();
    // Three polls of the feed have gone out: time enough for any repeated listing or orders read to show.
    const polls = () => apiCalls.filter((request) => request.url().endsWith('/availability')).length;
    for (const deadline = Date.now() + WAIT_MS; polls() < 3 && Date.now() < deadline; ) {
      await page.waitForRequest((request) => request.url() === `${stack.apiUrl}/availability`, {
        timeout: deadline - Date.now(),
      });
    }

    const paths = apiCalls
      .filter((request) => request.method() === 'GET')
      .map((request) => new URL(request.url()).pathname);
    process.stdout.write(
      `\nsale page, until 3 feed polls: ${paths.filter((p) => p === '/products').length} listing call(s), ${paths.filter((p) => p === '/availability').length} /availability polls\n`,
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
  }, 120_000);

  it.each([
    ['20 minutes fast', 20 * MINUTE],
    ['20 minutes slow', -20 * MINUTE],
  ])(
    "a browser clock %s still opens Buy and ends the sale within a second of the server's instants",
    async (_name, skewMs) => {
      const { page, errors } = await signedInPageWithClock(skewMs);
      const now = Date.now();
      const sku = `skew-${skewMs > 0 ? 'fast' : 'slow'}`;
      const product: NewProduct = {
        sku,
        name: 'Skewed-clock tee',
        description: "Opens on the server's time.",
        imageUrl: '/images/demo-hoodie.svg',
        priceCents: 1900,
        currency: 'EUR',
        // Far enough ahead that a busy machine still shows the card before the opening.
        saleStartsAt: new Date(now + 15_000).toISOString(),
        saleEndsAt: new Date(now + 21_000).toISOString(),
        perCustomerLimit: 1,
        shardCount: 1,
        units: 5,
      };
      await stack.loadCatalog([product]);
      await feedLists(stack, sku);
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
    120_000,
  );
});
