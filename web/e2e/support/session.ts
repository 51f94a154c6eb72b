import { randomUUID } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { LocalStack } from '@flash-sale/local/stack';
import type { AvailabilityFeed } from '@flash-sale/services/contract';
import type { watchErrors } from './browser';
import { openPage, WAIT_MS } from './stack';

/** Every e2e shopper's password: it meets the pool's policy. */
export const PASSWORD = 'FlashSale1!';

export interface Shopper {
  email: string;
  accessToken: string;
}

export interface ShopperPage {
  shopper: Shopper;
  context: BrowserContext;
  page: Page;
  pageErrors: ReturnType<typeof watchErrors>;
}

/** A confirmed shopper of its own (a unique e-mail under `prefix`), made through cognito-local's admin API. */
export async function newShopper(stack: LocalStack, prefix: string): Promise<Shopper> {
  const email = `${prefix}-${Date.now()}-${randomUUID().slice(0, 8)}@example.com`;
  const session = await stack.createShopper(email, PASSWORD);
  return { email, accessToken: session.accessToken };
}

/** Buys `quantity` of `sku` for `shopper` straight through the API, as a state for a page test to start from. */
export async function buyAsShopper(stack: LocalStack, shopper: Shopper, sku: string, quantity = 1): Promise<void> {
  const reply = await fetch(`${stack.apiUrl}/purchases`, {
    method: 'POST',
    headers: { authorization: `Bearer ${shopper.accessToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ sku, quantity, idempotencyKey: randomUUID() }),
  });
  if (reply.status !== 201) throw new Error(`buying ${sku} for ${shopper.email} answered ${reply.status}`);
}

/**
 * A fresh browser context signed in through the sign-in page as `shopper` (a new one when omitted), on the
 * sale page. `prepare` runs on the context before the page opens (e.g. to skew its clock).
 */
export async function signedInPage(
  browser: Browser,
  stack: LocalStack,
  options: { prefix?: string; shopper?: Shopper; prepare?: (context: BrowserContext) => Promise<void> } = {},
): Promise<ShopperPage> {
  const shopper = options.shopper ?? (await newShopper(stack, options.prefix ?? 'e2e'));
  const { context, page, pageErrors } = await openPage(browser, options.prepare);
  await page.goto(`${stack.webUrl}/sign-in`);
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await page.getByLabel('Email').fill(shopper.email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: "Today's flash sale" }).waitFor();
  return { shopper, context, page, pageErrors };
}

/** Waits until focus is on the page's heading named `name` (focus moves there after each page or step change). */
export async function focusLandsOnHeading(page: Page, name: string): Promise<void> {
  await page.waitForFunction(
    (wanted) => document.activeElement?.tagName === 'H1' && document.activeElement.textContent?.trim() === wanted,
    name,
    { timeout: WAIT_MS },
  );
}

/** Waits until the API's public feed lists `sku` (each container's catalog snapshot is up to a second old). */
export async function feedLists(stack: LocalStack, sku: string): Promise<void> {
  for (const deadline = Date.now() + WAIT_MS; Date.now() < deadline; ) {
    const feed = (await (await fetch(`${stack.apiUrl}/availability`)).json()) as AvailabilityFeed;
    if (feed.products.some((product) => product.sku === sku)) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`the availability feed never listed ${sku}`);
}
