import type { Browser, Page } from 'playwright-core';
import type { LocalStack } from '@flash-sale/local/stack';
import type { NewProduct } from '@flash-sale/services/store';
import { launchChromium, screenshot, type watchErrors } from './support/browser';
import { openPage, startServedStack, type ServedStack } from './support/stack';

/**
 * A shopper in a waiting room, in Chromium against the real local stack: joins the line before the
 * opening behind other shoppers, sees their place, is admitted by the clock, and buys.
 */
describe('waiting room in Chromium', () => {
  const email = `e2e-line-${Date.now()}@example.com`;
  const password = 'FlashSale1!';
  const OPENS_IN_MS = 25_000;
  let stack: LocalStack;
  let browser: Browser;
  let page: Page;
  let pageErrors: ReturnType<typeof watchErrors>;
  let served: ServedStack;

  const card = () => page.locator('article[data-sku="e2e-drop"]');

  function drop(now: number): NewProduct {
    return {
      sku: 'e2e-drop',
      name: 'Comet Jacket',
      description: 'The drop of the season.',
      imageUrl: '/images/demo-jacket.svg',
      priceCents: 19900,
      currency: 'EUR',
      saleStartsAt: new Date(now + OPENS_IN_MS).toISOString(),
      saleEndsAt: new Date(now + 3_600_000).toISOString(),
      perCustomerLimit: 1,
      shardCount: 2,
      units: 20,
      waitingRoom: true,
      // One shopper a second: the line below is through within ~8 s of the opening.
      admissionRate: 1,
    };
  }

  beforeAll(async () => {
    served = await startServedStack('waiting-room-e2e');
    stack = served.stack;
    await stack.loadCatalog([drop(Date.now())]);
    // Seven other shoppers join before the browser's shopper: it gets a random place among them.
    await Promise.all(
      Array.from({ length: 7 }, async (_, i) => {
        const session = await stack.createShopper(`e2e-line-other-${i}-${Date.now()}@example.com`, password);
        const reply = await fetch(`${stack.apiUrl}/admission/e2e-drop`, {
          headers: { authorization: `Bearer ${session.accessToken}` },
        });
        if (reply.status !== 200) throw new Error(`joining the line answered ${reply.status}`);
      }),
    );
    await stack.createShopper(email, password);
    browser = await launchChromium();
    ({ page, pageErrors } = await openPage(browser));
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await served?.stop();
  }, 30_000);

  afterEach(() => {
    expect(pageErrors.errors.splice(0)).toEqual([]);
  });

  it('queues a signed-in shopper before the opening, with their place and wait', async () => {
    await page.goto(stack.webUrl);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: "Today's flash sale" }).waitFor();

    const place = card().locator('.line .place');
    await place.waitFor();
    expect(await place.textContent()).toMatch(
      /^You're in line: (about [0-7] ahead|you are next), (less than a minute|~1 min)$/,
    );
    expect(await card().locator('.countdown').count()).toBe(1);
    expect(await card().getByRole('button', { name: 'Buy Comet Jacket' }).count()).toBe(0);
    await screenshot(page, '11-waiting-room-queued');
  }, 60_000);

  it("shows Buy by itself when the shopper's turn comes, and buys with the pass", async () => {
    const turn = card().getByText("It's your turn!");
    await turn.waitFor({ timeout: OPENS_IN_MS + 30_000 });
    await screenshot(page, '12-waiting-room-admitted');

    await card().getByRole('button', { name: 'Buy Comet Jacket' }).click();
    const confirmation = page.getByRole('status').filter({ hasText: 'Order confirmed' });
    await confirmation.waitFor();
    expect(await confirmation.textContent()).toContain('1 × Comet Jacket, total €199.00');
    await screenshot(page, '13-waiting-room-bought');
  }, 90_000);

  it('saw no HTTP errors in the browser', () => {
    expect(pageErrors.httpStatusLines).toEqual([]);
  });
});
