import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import type { LocalStack } from '@flash-sale/local/stack';
import type { AvailabilityFeed } from '@flash-sale/services/contract';
import { contrastRatio, focusRingColours, seriousAccessibilityViolations } from './support/axe';
import { launchChromium, screenshot, type watchErrors } from './support/browser';
import { e2eCatalog } from './support/catalog';
import {
  buyAsShopper,
  focusLandsOnHeading as focusOnHeading,
  newShopper,
  PASSWORD,
  type Shopper,
  signedInPage,
} from './support/session';
import { openPage, startServedStack, WAIT_MS, type ServedStack } from './support/stack';

/** A test's own limit: each signs in (or up) on its own page first, which takes a while on a busy machine. */
const TEST_MS = 120_000;

/**
 * A shopper's journey through the storefront. Each test prepares its own state (its own shopper, page
 * and sign-in, and any order it needs), so any one of them can run alone. The stack is real: DynamoDB
 * Local, cognito-local, the local gateway, the built app.
 */
describe('storefront in Chromium', () => {
  const password = PASSWORD;
  const newPassword = 'NewFlash2';
  let stack: LocalStack;
  let browser: Browser;
  let context: BrowserContext | undefined;
  let page: Page;
  let pageErrors: ReturnType<typeof watchErrors> | undefined;
  let served: ServedStack;

  /** The test's own page, signed in as a new shopper (or `shopper`) on the sale page. */
  async function startSignedIn(shopper?: Shopper): Promise<Shopper> {
    const opened = await signedInPage(browser, stack, { prefix: 'e2e', ...(shopper ? { shopper } : {}) });
    ({ context, page, pageErrors } = opened);
    return opened.shopper;
  }

  /** The test's own page, signed out, on the storefront's first page. */
  async function startSignedOut(): Promise<void> {
    ({ context, page, pageErrors } = await openPage(browser));
    await page.goto(`${stack.webUrl}/sign-in`);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor({ timeout: WAIT_MS });
  }

  const card = (sku: string): Locator => page.locator(`article[data-sku="${sku}"]`);
  const alertIn = (scope: Locator): Locator => scope.getByRole('alert');

  /** Waits until focus is on the page's heading named `name` (focus moves there after each page or step change). */
  const focusLandsOnHeading = (name: string): Promise<void> => focusOnHeading(page, name);

  async function expectNoSeriousViolations(): Promise<void> {
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
  }

  /** Cognito's own answer to a refresh with this token: what a stolen copy of it could still do. */
  async function refreshWith(refreshToken: string): Promise<string> {
    const response = await fetch(stack.cognitoEndpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'AWSCognitoIdentityProviderService.InitiateAuth',
      },
      body: JSON.stringify({
        ClientId: stack.userPoolClientId,
        AuthFlow: 'REFRESH_TOKEN_AUTH',
        AuthParameters: { REFRESH_TOKEN: refreshToken },
      }),
    });
    const body = (await response.json()) as { __type?: string };
    return response.ok ? 'accepted' : String(body.__type);
  }

  /** Presses Tab until the element matching `selector` has focus: proves it is reachable by keyboard. */
  async function tabTo(selector: string, maxPresses = 40): Promise<void> {
    for (let press = 0; press < maxPresses; press++) {
      if (await page.evaluate((wanted) => document.activeElement?.matches(wanted) ?? false, selector)) return;
      await page.keyboard.press('Tab');
    }
    throw new Error(`${selector} never received focus after ${maxPresses} Tab presses`);
  }

  beforeAll(async () => {
    served = await startServedStack('storefront-e2e');
    stack = served.stack;
    await stack.loadCatalog(e2eCatalog(Date.now()));
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
    // Any console error or uncaught exception fails the test that caused it.
    expect(seen.errors).toEqual([]);
    // The browser logs only the HTTP refusals the tests provoke: 400 from Cognito (wrong code, wrong
    // password), 500 from cognito-local (no ResendConfirmationCode), 503 from the busy shop the retry
    // test stages; nothing else.
    const unexpected = seen.httpStatusLines.filter(
      (line) =>
        !/status of 400 /.test(line) &&
        !(/status of 500 /.test(line) && line.includes(stack.cognitoEndpoint)) &&
        !/status of 503 .*\/purchases/.test(line),
    );
    expect(unexpected).toEqual([]);
  });

  it(
    'signs a visitor up from the sign-in page with the e-mailed code and lands in the sale',
    async () => {
      const email = `e2e-${Date.now()}@example.com`;
      ({ context, page, pageErrors } = await openPage(browser));
      await page.goto(`${stack.webUrl}/sign-in`);
      await page.getByRole('heading', { name: 'Sign in' }).waitFor();
      await expectNoSeriousViolations();
      await page.getByRole('link', { name: 'Create an account' }).click();
      // Both pages have an "Email" field: wait for the new page, or the fill lands on the old one.
      await page.getByRole('heading', { name: 'Create an account' }).waitFor();
      await focusLandsOnHeading('Create an account');

      // The form holds the pool's policy: "password" is refused before Cognito is asked, next to the field.
      await page.getByLabel('Email').fill(email);
      await page.getByLabel('Password').fill('password');
      await page.getByRole('button', { name: 'Create account' }).click();
      const passwordField = page.locator('#sign-up-password[aria-invalid="true"]');
      await passwordField.waitFor();
      await page.waitForFunction(() => document.activeElement?.id === 'sign-up-password', undefined, {
        timeout: WAIT_MS,
      });
      const description = await passwordField.evaluate((field) =>
        (field.getAttribute('aria-describedby') ?? '')
          .split(' ')
          .map((id) => document.getElementById(id)?.textContent ?? '')
          .join(' | '),
      );
      expect(description).toMatch(
        /does not meet every rule.*An upper-case letter \(A-Z\)\s*\(not yet\).*A number \(0-9\)\s*\(not yet\)/s,
      );
      await expectNoSeriousViolations();
      await screenshot(page, '01-sign-up-password-rules');

      await page.getByLabel('Password').fill(password);
      await page.getByRole('button', { name: 'Create account' }).click();

      await page.getByRole('heading', { name: 'Confirm your email' }).waitFor();
      const code = await stack.confirmationCode(email);
      expect(code).toMatch(/^\d+$/);
      await page.getByLabel('Confirmation code').fill('000000' === code ? '111111' : '000000');
      await page.getByRole('button', { name: 'Confirm and sign in' }).click();
      await expect(alertIn(page.locator('main')).textContent()).resolves.toContain(
        'That confirmation code is not right. The code is printed in the terminal running npm start',
      );
      await screenshot(page, '02-confirm-wrong-code');

      // cognito-local lacks ResendConfirmationCode: the page says where the first code is, and it still works.
      await page.getByRole('button', { name: 'Send a new code' }).click();
      await page.getByRole('alert').filter({ hasText: 'printed in the terminal running npm start' }).waitFor();
      await expectNoSeriousViolations();

      await page.getByLabel('Confirmation code').fill(code!);
      await page.getByRole('button', { name: 'Confirm and sign in' }).click();
      await page.getByRole('heading', { name: "Today's flash sale" }).waitFor();
      expect(await page.getByRole('banner').textContent()).toContain(email);
      await focusLandsOnHeading("Today's flash sale");
    },
    TEST_MS,
  );

  it(
    'shows every product with its price, units left, and a countdown that ticks, open sales first and ended last',
    async () => {
      // The sale's instants again, from now: the upcoming product is a minute and a half away, whatever ran before.
      await stack.loadCatalog(e2eCatalog(Date.now()));
      await startSignedIn();
      await card('demo-watch').waitFor();
      const order = await page
        .locator('article[data-sku]')
        .evaluateAll((cards) => cards.map((each) => each.getAttribute('data-sku')));
      // The API lists by start time (the ended cap first); the grid puts open, then upcoming, then ended.
      expect(order).toEqual(['demo-hoodie', 'demo-tote', 'demo-watch', 'demo-sneakers', 'demo-cap']);
      await expect(card('demo-hoodie').locator('.price').textContent()).resolves.toBe('€49.00');
      // Other tests buy hoodies too: the card must show what the server's feed says is left (at most the 40 loaded).
      const feed = (await (await fetch(`${stack.apiUrl}/availability`)).json()) as AvailabilityFeed;
      const hoodiesLeft = feed.products.find((product) => product.sku === 'demo-hoodie')?.available ?? -1;
      expect(hoodiesLeft).toBeGreaterThan(0);
      expect(hoodiesLeft).toBeLessThanOrEqual(40);
      await card('demo-hoodie')
        .locator('.units', { hasText: `${hoodiesLeft} left` })
        .waitFor();

      const countdown = card('demo-sneakers').locator('.countdown .time');
      const before = await countdown.textContent();
      expect(before).toMatch(/^0[01]:\d\d$/);
      await page.waitForFunction(
        ([selector, previous]) => document.querySelector(selector!)?.textContent !== previous,
        [`article[data-sku="demo-sneakers"] .countdown .time`, before] as const,
        { timeout: WAIT_MS },
      );
      expect(await card('demo-sneakers').getByRole('button', { name: /^Buy/ }).count()).toBe(0);
      // Each product's controls carry its name; pictures stay silent (the heading names the product).
      await card('demo-hoodie').getByRole('button', { name: 'Buy Midnight Hoodie', exact: true }).waitFor();
      await card('demo-hoodie').getByRole('combobox', { name: 'Quantity of Midnight Hoodie', exact: true }).waitFor();
      expect(await page.locator("article img:not([alt=''])").count()).toBe(0);
      await expectNoSeriousViolations();
      await screenshot(page, '03-sale');
    },
    TEST_MS,
  );

  it(
    'buys one and finds it, with its total, under My orders',
    async () => {
      await startSignedIn();
      const hoodie = card('demo-hoodie');
      const unitsLeft = Number((await hoodie.locator('.units').textContent())?.match(/(\d+) left/)?.[1]);
      expect(unitsLeft).toBeGreaterThan(1);
      await hoodie.getByLabel('Quantity of Midnight Hoodie').selectOption('1');
      await hoodie.getByRole('button', { name: 'Buy Midnight Hoodie' }).click();

      const confirmation = hoodie.getByRole('status').filter({ hasText: 'Order confirmed' });
      await confirmation.waitFor();
      expect(await confirmation.textContent()).toContain('1 × Midnight Hoodie, total €49.00');
      // The page re-reads the catalog right after a purchase; the new count arrives with that response.
      await hoodie.locator('.units', { hasText: `${unitsLeft - 1} left` }).waitFor({ timeout: WAIT_MS });
      await hoodie.locator('.bought', { hasText: 'You bought 1 of 2' }).waitFor();
      // One more allowed: no menu holding only "1"; Buy buys 1.
      expect(await hoodie.locator('select').count()).toBe(0);
      await screenshot(page, '04-order-confirmed');

      await confirmation.getByRole('link', { name: 'See my orders' }).click();
      await page.getByRole('heading', { name: 'My orders' }).waitFor();
      await focusLandsOnHeading('My orders');
      const rows = page.locator('article.order');
      await rows.first().waitFor();
      expect(await rows.count()).toBe(1);
      const row = (await rows.first().innerText()).replace(/\s+/g, ' ');
      expect(row).toContain('Midnight Hoodie');
      expect(row).toContain('€49.00');
      await expectNoSeriousViolations();
      await screenshot(page, '05-my-orders');
    },
    TEST_MS,
  );

  it(
    'skips to the content in place from My orders, with the keyboard',
    async () => {
      // A shopper with an order: My orders lists it, linking to the order page.
      const shopper = await newShopper(stack, 'e2e-skip');
      await buyAsShopper(stack, shopper, 'demo-tote');
      await startSignedIn(shopper);
      await page.getByRole('link', { name: 'My orders' }).click();
      await page.getByRole('heading', { name: 'My orders' }).waitFor();
      await focusLandsOnHeading('My orders');
      // Tab on from the heading, past the order's link and round to the first stop: the skip link.
      await tabTo('a.skip-link');
      expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe('Skip to content');
      await page.keyboard.press('Enter');
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
      expect(new URL(page.url()).pathname).toBe('/orders');
      await page.getByRole('heading', { name: 'My orders' }).waitFor();
    },
    TEST_MS,
  );

  it(
    'buys up to the per-customer limit with only the keyboard, then says so and offers no more',
    async () => {
      // A shopper who has bought one already, as the last of the two comes up.
      const shopper = await newShopper(stack, 'e2e-limit');
      await buyAsShopper(stack, shopper, 'demo-hoodie');
      await startSignedIn(shopper);
      await page.getByRole('link', { name: 'My orders' }).click();
      await page.getByRole('heading', { name: 'My orders' }).waitFor();
      await page.getByRole('link', { name: 'Sale', exact: true }).click();
      const hoodie = card('demo-hoodie');
      await hoodie.locator('.bought', { hasText: 'You bought 1 of 2' }).waitFor();

      await page.locator('main').focus();
      // One more allowed: no Quantity menu, straight to Buy.
      await tabTo('article[data-sku="demo-hoodie"] button.primary');
      // The focus ring stands out from the card it sits on (WCAG 2.4.13 / 1.4.11: at least 3:1).
      const onCard = await focusRingColours(page);
      expect(contrastRatio(onCard.ring, onCard.background)).toBeGreaterThanOrEqual(3);
      expect(await page.evaluate(() => document.activeElement?.textContent?.replace(/\s+/g, ' ').trim())).toBe(
        'Buy Midnight Hoodie',
      );
      await page.keyboard.press('Enter');

      await hoodie.getByRole('status').filter({ hasText: 'Order confirmed' }).waitFor();
      await hoodie.locator('.bought', { hasText: 'You bought 2 of 2' }).waitFor();
      expect(await hoodie.getByRole('button', { name: 'Buy Midnight Hoodie' }).isDisabled()).toBe(true);
      expect(await hoodie.locator('select').count()).toBe(0);
      // One message per card: the latest outcome only.
      expect(await hoodie.locator(".confirmation, [role='alert']").count()).toBe(1);
      await expectNoSeriousViolations();
      await screenshot(page, '06-bought-to-the-limit');
    },
    TEST_MS,
  );

  it(
    'shows which retry is under way while the shop answers 503, and buys once with one key',
    async () => {
      await startSignedIn();
      // The shop is made busy at the network edge: two 503s with Retry-After, then the real API answers.
      const keys: string[] = [];
      await page.route(`${stack.apiUrl}/purchases`, async (route) => {
        if (route.request().method() !== 'POST') return route.continue();
        keys.push((route.request().postDataJSON() as { idempotencyKey: string }).idempotencyKey);
        if (keys.length > 2) return route.continue();
        await route.fulfill({
          status: 503,
          headers: {
            'content-type': 'application/json',
            'retry-after': '1',
            'access-control-allow-origin': stack.webUrl,
            'access-control-expose-headers': 'retry-after',
          },
          body: JSON.stringify({ error: { code: 'TRY_AGAIN', message: 'busy' } }),
        });
      });
      const tote = card('demo-tote');
      await tote.getByRole('button', { name: 'Buy Harbour Tote' }).click();

      await tote.getByRole('button', { name: /Busy, retrying 2 of 4/ }).waitFor({ timeout: WAIT_MS });
      await screenshot(page, '07-retry-progress');
      await tote.getByRole('button', { name: /Busy, retrying 3 of 4/ }).waitFor({ timeout: WAIT_MS });
      await tote.getByRole('status').filter({ hasText: 'Order confirmed' }).waitFor();
      await page.unroute(`${stack.apiUrl}/purchases`);

      expect(keys).toHaveLength(3);
      expect(new Set(keys).size).toBe(1);
      await tote.locator('.bought', { hasText: 'You bought 1 of 3' }).waitFor();
    },
    TEST_MS,
  );

  it(
    'buys the last unit and the product turns sold out',
    async () => {
      await startSignedIn();
      const watch = card('demo-watch');
      await expect(watch.locator('.units').textContent()).resolves.toContain('1 left');
      await watch.getByRole('button', { name: 'Buy Meridian Watch' }).click();

      await watch.getByRole('status').filter({ hasText: '1 × Meridian Watch' }).waitFor();
      await watch.locator('.badge', { hasText: 'Sold out' }).waitFor();
      expect(await watch.getAttribute('data-state')).toBe('sold-out');
      expect(await watch.getByRole('button', { name: /^Buy/ }).count()).toBe(0);
      await screenshot(page, '08-sold-out');
    },
    TEST_MS,
  );

  it(
    'keeps the session across a reload, signs out revoking the refresh token, and refuses a wrong password plainly',
    async () => {
      const { email } = await startSignedIn();
      await page.reload();
      await page.getByRole('heading', { name: "Today's flash sale" }).waitFor();
      const refreshToken = await page.evaluate(
        () =>
          (JSON.parse(localStorage.getItem('flash-sale.session') ?? '{}') as { refreshToken?: string }).refreshToken,
      );
      expect(refreshToken).toBeTruthy();
      await expect(refreshWith(refreshToken!)).resolves.toBe('accepted');

      // The header is dark: its focus ring is light, and still stands out (at least 3:1).
      await page.getByRole('button', { name: 'Sign out' }).focus();
      const onHeader = await focusRingColours(page);
      expect(contrastRatio(onHeader.ring, onHeader.background)).toBeGreaterThanOrEqual(3);

      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByRole('heading', { name: 'Sign in' }).waitFor();
      // Sign-out revokes the refresh token at Cognito (cognito-local implements RevokeToken): a copy is now useless.
      let answer = await refreshWith(refreshToken!);
      for (const deadline = Date.now() + WAIT_MS; answer === 'accepted' && Date.now() < deadline; ) {
        await new Promise((resolve) => setTimeout(resolve, 100)); // the revocation runs after the page has moved on
        answer = await refreshWith(refreshToken!);
      }
      expect(answer).toBe('NotAuthorizedException');
      await page.getByLabel('Email').fill(email);
      await page.getByLabel('Password').fill('Wrong-password-1');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expect(alertIn(page.locator('main')).textContent()).resolves.toBe('Wrong email or password.');
      await screenshot(page, '09-sign-in-wrong-password');

      await page.getByLabel('Password').fill(password);
      await page.getByLabel('Password').press('Enter');
      await page.getByRole('heading', { name: "Today's flash sale" }).waitFor();
    },
    TEST_MS,
  );

  it(
    'resets a forgotten password with the e-mailed code and signs in with the new one',
    async () => {
      const { email } = await newShopper(stack, 'e2e-reset');
      await startSignedOut();
      await page.getByLabel('Email').fill(email);
      await page.getByRole('link', { name: 'Forgot your password?' }).click();

      await page.getByRole('heading', { name: 'Reset your password' }).waitFor();
      expect(await page.getByLabel('Email').inputValue()).toBe(email);
      await expectNoSeriousViolations();
      await screenshot(page, '10-forgot-password');
      await page.getByRole('button', { name: 'Send the code' }).click();

      await page.getByRole('heading', { name: 'Choose a new password' }).waitFor();
      const code = await stack.confirmationCode(email);
      expect(code).toMatch(/^\d+$/);
      await page.getByLabel('Reset code').fill(code!);
      await page.getByLabel('New password').fill('newpassword');
      await page.getByRole('button', { name: 'Save and sign in' }).click();
      await page.locator('#reset-password[aria-invalid="true"]').waitFor();
      await expectNoSeriousViolations();
      await screenshot(page, '11-reset-password-rules');

      await page.getByLabel('New password').fill(newPassword);
      await page.getByRole('button', { name: 'Save and sign in' }).click();
      await page.getByRole('heading', { name: "Today's flash sale" }).waitFor();
      await screenshot(page, '12-reset-signed-in');

      // The new password is the one that works now.
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByRole('heading', { name: 'Sign in' }).waitFor();
      await page.getByLabel('Email').fill(email);
      await page.getByLabel('Password').fill(password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expect(alertIn(page.locator('main')).textContent()).resolves.toBe('Wrong email or password.');
      await page.getByLabel('Password').fill(newPassword);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { name: "Today's flash sale" }).waitFor();
    },
    TEST_MS,
  );

  it(
    'fits a phone screen without sideways scrolling',
    async () => {
      // A shopper with an order, so My orders has a row to lay out.
      const shopper = await newShopper(stack, 'e2e-phone');
      await buyAsShopper(stack, shopper, 'demo-tote');
      await startSignedIn(shopper);
      await page.setViewportSize({ width: 390, height: 844 });
      await card('demo-hoodie').waitFor();
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      await screenshot(page, '13-sale-phone');
      await page.getByRole('link', { name: 'My orders' }).click();
      await page.locator('article.order').first().waitFor();
      expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(
        0,
      );
      await screenshot(page, '14-orders-phone');
    },
    TEST_MS,
  );
});
