import type { Browser, Locator, Page } from 'playwright-core';
import type { LocalStack } from '@flash-sale/local/stack';
import type { NewProduct } from '@flash-sale/services/store';
import { seriousAccessibilityViolations } from './support/axe';
import { launchChromium, screenshot } from './support/browser';
import { feedLists, signedInPage, type ShopperPage } from './support/session';
import { startServedStack, WAIT_MS, type ServedStack } from './support/stack';

const MINUTE = 60_000;
const WEEK = 7 * 24 * 60 * MINUTE;
const TEST_MS = 120_000;

/**
 * One row of the grid at desktop width: three open products (one with a single unit and a limit of 1) and
 * a drop behind a waiting room, whose card (countdown, line panel, a longer description) is the row's tallest.
 * A fifth product, opening later, starts the next row.
 */
function defectsCatalog(now: number): NewProduct[] {
  const at = (offset: number) => new Date(now + offset).toISOString();
  const base = { currency: 'EUR', saleEndsAt: at(WEEK), shardCount: 1, imageUrl: '/images/placeholder.svg' };
  return [
    {
      ...base,
      sku: 'd-tote',
      name: 'Harbour Tote',
      description: 'Waxed canvas.',
      priceCents: 3900,
      saleStartsAt: at(-MINUTE),
      perCustomerLimit: 3,
      units: 6,
    },
    {
      ...base,
      sku: 'd-watch',
      name: 'Meridian Watch',
      description: 'Steel, sapphire glass.',
      priceCents: 34900,
      saleStartsAt: at(-MINUTE),
      perCustomerLimit: 1,
      units: 1,
    },
    {
      ...base,
      sku: 'd-cap',
      name: 'Eclipse Cap',
      description: 'Six panels.',
      priceCents: 2900,
      saleStartsAt: at(-MINUTE),
      perCustomerLimit: 2,
      units: 50,
    },
    {
      ...base,
      sku: 'd-drop',
      name: 'Comet Jacket',
      description:
        'A water-resistant shell with a warm quilted lining, taped seams, a two-way zip and deep pockets: made for long evenings outdoors.',
      priceCents: 19900,
      saleStartsAt: at(10 * MINUTE),
      perCustomerLimit: 1,
      units: 20,
      waitingRoom: true,
      admissionRate: 1,
    },
    {
      ...base,
      sku: 'd-soon',
      name: 'Aurora Sneakers',
      description: 'Runners.',
      priceCents: 12900,
      saleStartsAt: at(20 * MINUTE),
      perCustomerLimit: 1,
      units: 20,
    },
  ];
}

/**
 * The storefront defects of issue 23, each seen where a shopper sees it: in Chromium, against the real
 * local stack (DynamoDB Local, cognito-local, the gateway, the built app). Each test signs in a shopper of
 * its own.
 */
describe('storefront defects in Chromium', () => {
  let stack: LocalStack;
  let browser: Browser;
  let served: ServedStack;
  let opened: ShopperPage | undefined;

  const card = (page: Page, sku: string): Locator => page.locator(`article[data-sku="${sku}"]`);
  const gridOrder = (page: Page): Promise<string[]> =>
    page.locator('ul.grid article').evaluateAll((cards) => cards.map((item) => item.getAttribute('data-sku') ?? ''));

  async function signIn(prefix: string): Promise<Page> {
    opened = await signedInPage(browser, stack, { prefix });
    await card(opened.page, 'd-soon').waitFor();
    return opened.page;
  }

  beforeAll(async () => {
    served = await startServedStack('storefront-defects-e2e');
    stack = served.stack;
    await stack.loadCatalog(defectsCatalog(Date.now()));
    await feedLists(stack, 'd-soon');
    browser = await launchChromium();
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await served?.stop();
  }, 30_000);

  afterEach(async () => {
    const seen = opened;
    opened = undefined;
    if (!seen) return;
    await seen.context.close().catch(() => undefined);
    // No console error, no uncaught exception, and no HTTP error on the way.
    expect(seen.pageErrors.errors).toEqual([]);
    expect(seen.pageErrors.httpStatusLines).toEqual([]);
  });

  it(
    'leaves no gap between the price and what follows it, even beside a taller card',
    async () => {
      const page = await signIn('e2e-gaps');
      // The drop's card is the tallest of its row: the others must not stretch their insides to match it.
      const boxes = await page.locator('ul.grid article').evaluateAll((cards) =>
        cards.map((item) => {
          const price = item.querySelector('.price')!;
          const next = price.nextElementSibling!;
          return {
            sku: item.getAttribute('data-sku'),
            gap: next.getBoundingClientRect().top - price.getBoundingClientRect().bottom,
            cardTop: item.getBoundingClientRect().top,
            // What the card's lines need (their heights and the 8 px between them), whatever its row stretches it to.
            contentHeight: [...item.querySelector('.body')!.children].reduce(
              (sum, line) => sum + line.getBoundingClientRect().height + 8,
              0,
            ),
          };
        }),
      );
      const firstRow = boxes.filter((box) => box.cardTop === boxes[0]!.cardTop);
      expect(firstRow.map((box) => box.sku).sort()).toEqual(['d-cap', 'd-drop', 'd-tote', 'd-watch']);
      // Taller by more than a line: a stretched card would show that as a gap under its price.
      const heights = firstRow.map((box) => box.contentHeight);
      expect(Math.max(...heights) - Math.min(...heights)).toBeGreaterThan(40);
      // The card's own gap between lines is 0.5rem (8 px).
      for (const box of boxes) expect({ sku: box.sku, gap: Math.round(box.gap) }).toEqual({ sku: box.sku, gap: 8 });
      expect(await seriousAccessibilityViolations(page)).toEqual([]);
      await screenshot(page, '21-grid-no-gaps');
    },
    TEST_MS,
  );

  it(
    'offers no Quantity menu for a product with a limit of 1: Buy buys 1',
    async () => {
      const page = await signIn('e2e-limit-one');
      const watch = card(page, 'd-watch');
      await watch.getByRole('button', { name: 'Buy Meridian Watch' }).waitFor();

      expect(await watch.locator('select').count()).toBe(0);
      expect(await watch.getByText('Quantity').count()).toBe(0);
      expect(await watch.getByText('Limit 1 per customer').count()).toBe(1);
    },
    TEST_MS,
  );

  it(
    'keeps a card in its place when buying sells it out',
    async () => {
      const page = await signIn('e2e-steady');
      const watch = card(page, 'd-watch');
      await watch.getByRole('button', { name: 'Buy Meridian Watch' }).waitFor();
      const before = await gridOrder(page);
      expect(before.indexOf('d-watch')).toBeLessThan(before.indexOf('d-soon'));

      await watch.getByRole('button', { name: 'Buy Meridian Watch' }).click();
      await watch.getByRole('status').filter({ hasText: 'Order confirmed' }).waitFor();
      await watch.locator('.badge', { hasText: 'Sold out' }).waitFor();
      // Two more polls of the feed, in which the old grid moved sold-out cards to the end.
      await page.waitForResponse((response) => response.url().endsWith('/availability'));
      await page.waitForResponse((response) => response.url().endsWith('/availability'));

      expect(await gridOrder(page)).toEqual(before);
      expect(await watch.getByRole('status').filter({ hasText: '1 × Meridian Watch' }).count()).toBe(1);
    },
    TEST_MS,
  );

  it(
    'counts a purchase on the card bought from as soon as the order is confirmed, and only once',
    async () => {
      const page = await signIn('e2e-count');
      const tote = card(page, 'd-tote');
      const left = Number((await tote.locator('.units strong').textContent()) ?? Number.NaN);
      expect(left).toBeGreaterThan(1);
      // Note what the card says the instant its confirmation appears, before any later poll.
      await tote.evaluate((item) => {
        const seen = window as unknown as { unitsWithConfirmation?: string };
        new MutationObserver((_changes, observer) => {
          if (!item.querySelector('.confirmation')) return;
          seen.unitsWithConfirmation = item.querySelector('.units strong')?.textContent ?? '';
          observer.disconnect();
        }).observe(item, { childList: true, subtree: true, characterData: true });
      });
      // As at a busy moment: the feed the page reads right after buying is the edge's copy from before.
      await fetch(`${stack.apiUrl}/availability`);

      await tote.getByRole('button', { name: 'Buy Harbour Tote' }).click();

      const shown = await page.waitForFunction(
        () => (window as unknown as { unitsWithConfirmation?: string }).unitsWithConfirmation,
        undefined,
        { timeout: WAIT_MS },
      );
      expect(Number(await shown.jsonValue())).toBe(left - 1);
      // Once the feed shows the purchase, it is not taken off a second time.
      await page.waitForResponse((response) => response.url().endsWith('/availability'));
      await page.waitForResponse((response) => response.url().endsWith('/availability'));
      await page.waitForResponse((response) => response.url().endsWith('/availability'));
      expect(Number(await tote.locator('.units strong').textContent())).toBe(left - 1);
    },
    TEST_MS,
  );

  it(
    'joins a line only when the shopper asks, then shows their place',
    async () => {
      const admissions: string[] = [];
      opened = await signedInPage(browser, stack, {
        prefix: 'e2e-join',
        prepare: async (context) => {
          context.on('request', (request) => {
            if (request.url().includes('/admission/')) admissions.push(request.url());
          });
        },
      });
      const page = opened.page;
      const drop = card(page, 'd-drop');
      await drop.waitFor();
      // Looking at the sale for a poll of the feed: no line is joined.
      await page.waitForResponse((response) => response.url().endsWith('/availability'));
      expect(admissions).toEqual([]);

      await drop.getByRole('button', { name: 'Join the line for Comet Jacket' }).click();

      await drop.locator('.line .place', { hasText: "You're in line" }).waitFor();
      expect(admissions).toHaveLength(1);
      expect(admissions[0]).toContain('/admission/d-drop');
      expect(await page.evaluate(() => document.activeElement?.classList.contains('line'))).toBe(true);
      expect(await seriousAccessibilityViolations(page)).toEqual([]);
      await screenshot(page, '22-joined-the-line');
    },
    TEST_MS,
  );

  it(
    'says "You have signed out" in a live region after signing out',
    async () => {
      const page = await signIn('e2e-signed-out');
      await page.getByRole('button', { name: 'Sign out' }).click();

      await page.getByRole('status').filter({ hasText: 'You have signed out.' }).waitFor();
      expect(await seriousAccessibilityViolations(page)).toEqual([]);
      await screenshot(page, '23-signed-out');
    },
    TEST_MS,
  );
});
