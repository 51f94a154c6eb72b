import type { Browser, Page } from 'playwright-core';
import type { LocalStack } from '@flash-sale/local/stack';
import type { NewProduct } from '@flash-sale/services/store';
import { launchChromium, screenshot } from './support/browser';
import { feedLists, newShopper, signedInPage, type ShopperPage } from './support/session';
import { startServedStack, WAIT_MS, type ServedStack } from './support/stack';

/**
 * A shopper in a waiting room, in Chromium against the real local stack: joins the line before the
 * opening behind other shoppers, sees their place, is admitted by the clock, and buys. Each test has a
 * drop, a line and a shopper of its own.
 */
describe('waiting room in Chromium', () => {
  const OPENS_IN_MS = 25_000;
  let stack: LocalStack;
  let browser: Browser;
  let served: ServedStack;
  let opened: ShopperPage | undefined;

  const cardOf = (page: Page, sku: string) => page.locator(`article[data-sku="${sku}"]`);

  function drop(sku: string, now: number, opensInMs: number): NewProduct {
    return {
      sku,
      name: 'Comet Jacket',
      description: 'The drop of the season.',
      imageUrl: '/images/demo-jacket.svg',
      priceCents: 19900,
      currency: 'EUR',
      saleStartsAt: new Date(now + opensInMs).toISOString(),
      saleEndsAt: new Date(now + 3_600_000).toISOString(),
      perCustomerLimit: 1,
      shardCount: 2,
      units: 20,
      waitingRoom: true,
      // One shopper a second: the line below is through within ~8 s of the opening.
      admissionRate: 1,
    };
  }

  /** A drop of the test's own, opening in `opensInMs`, with seven other shoppers already in its line. */
  async function dropWithALine(sku: string, opensInMs = OPENS_IN_MS): Promise<NewProduct> {
    const product = drop(sku, Date.now(), opensInMs);
    await stack.loadCatalog([product]);
    await feedLists(stack, sku);
    await Promise.all(
      Array.from({ length: 7 }, async () => {
        const other = await newShopper(stack, `e2e-line-other-${sku}`);
        const reply = await fetch(`${stack.apiUrl}/admission/${sku}`, {
          headers: { authorization: `Bearer ${other.accessToken}` },
        });
        if (reply.status !== 200) throw new Error(`joining the line answered ${reply.status}`);
      }),
    );
    return product;
  }

  beforeAll(async () => {
    served = await startServedStack('waiting-room-e2e');
    stack = served.stack;
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

  it('queues a signed-in shopper before the opening, with their place and wait', async () => {
    // Opening far enough ahead that a busy machine still signs in before it.
    await dropWithALine('e2e-drop-queued', 3 * OPENS_IN_MS);
    opened = await signedInPage(browser, stack, { prefix: 'e2e-line' });
    const card = cardOf(opened.page, 'e2e-drop-queued');
    // Looking joins nothing: the shopper joins by asking.
    await card.getByRole('button', { name: 'Join the line for Comet Jacket' }).click();

    const place = card.locator('.line .place');
    await place.waitFor();
    expect(await place.textContent()).toMatch(
      /^You're in line: (about [0-7] ahead|you are next), (less than a minute|~1 min)$/,
    );
    expect(await card.locator('.countdown').count()).toBe(1);
    expect(await card.getByRole('button', { name: 'Buy Comet Jacket' }).count()).toBe(0);
    await screenshot(opened.page, '11-waiting-room-queued');
  }, 120_000);

  it("shows Buy by itself when the shopper's turn comes, and buys with the pass", async () => {
    await dropWithALine('e2e-drop-admitted');
    opened = await signedInPage(browser, stack, { prefix: 'e2e-line' });
    const card = cardOf(opened.page, 'e2e-drop-admitted');
    await card.getByRole('button', { name: 'Join the line for Comet Jacket' }).click();
    await card.locator('.line .place').waitFor();

    await card.getByText("It's your turn!").waitFor({ timeout: OPENS_IN_MS + WAIT_MS });
    await screenshot(opened.page, '12-waiting-room-admitted');

    await card.getByRole('button', { name: 'Buy Comet Jacket' }).click();
    const confirmation = card.getByRole('status').filter({ hasText: 'Order confirmed' });
    await confirmation.waitFor();
    expect(await confirmation.textContent()).toContain('1 × Comet Jacket, total €199.00');
    // The turn is used: no "It's your turn!" over a greyed Buy under the confirmation.
    await card.getByText('Your turn is used').waitFor();
    expect(await card.getByText("It's your turn!").count()).toBe(0);
    expect(await card.getByRole('button', { name: 'Buy Comet Jacket' }).count()).toBe(0);
    await screenshot(opened.page, '13-waiting-room-bought');
  }, 150_000);
});
