import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import { startLocalStack, type LocalStack } from "../../services/src/local/stack";
import { launchChromium, screenshot, watchErrors } from "./support/browser";
import { e2eCatalog } from "./support/catalog";

/**
 * One shopper's journey through the storefront, in order: each test starts where the previous one
 * left the page. The stack is real: DynamoDB Local, cognito-local, the local gateway, the built app.
 */
describe("storefront in Chromium", () => {
  const email = `e2e-${Date.now()}@example.com`;
  const password = "FlashSale1!";
  let stack: LocalStack;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let pageErrors: ReturnType<typeof watchErrors>;
  let webRoot: string;

  const card = (sku: string): Locator => page.locator(`article[data-sku="${sku}"]`);
  const alertIn = (scope: Locator): Locator => scope.getByRole("alert");

  /** Presses Tab until the element matching `selector` has focus: proves it is reachable by keyboard. */
  async function tabTo(selector: string, maxPresses = 40): Promise<void> {
    for (let press = 0; press < maxPresses; press++) {
      if (await page.evaluate((wanted) => document.activeElement?.matches(wanted) ?? false, selector)) return;
      await page.keyboard.press("Tab");
    }
    throw new Error(`${selector} never received focus after ${maxPresses} Tab presses`);
  }

  beforeAll(async () => {
    // Serve a private copy of the build (made fresh by the global setup): another run in this working
    // tree may rebuild web/dist, which Angular empties first, while these tests are clicking.
    webRoot = mkdtempSync(join(tmpdir(), "storefront-e2e-"));
    cpSync(join(__dirname, "..", "dist", "browser"), webRoot, { recursive: true });
    stack = await startLocalStack({ webPort: 0, apiPort: 0, quiet: true, webRoot });
    await stack.loadCatalog(e2eCatalog(Date.now()));
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "en-US" });
    context.setDefaultTimeout(15_000);
    page = await context.newPage();
    pageErrors = watchErrors(page);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    if (webRoot) rmSync(webRoot, { recursive: true, force: true });
  }, 30_000);

  afterEach(() => {
    // Any console error or uncaught exception fails the test that caused it.
    const errors = pageErrors.errors.splice(0);
    expect(errors).toEqual([]);
  });

  it("sends a visitor to sign-in, signs up with the e-mailed code and lands in the sale", async () => {
    await page.goto(stack.webUrl);
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    await page.getByRole("link", { name: "Create an account" }).click();
    // Both pages have an "Email" field: wait for the new page, or the fill lands on the old one.
    await page.getByRole("heading", { name: "Create an account" }).waitFor();

    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(password);
    await screenshot(page, "01-sign-up");
    await page.getByRole("button", { name: "Create account" }).click();

    await page.getByRole("heading", { name: "Confirm your email" }).waitFor();
    const code = await stack.confirmationCode(email);
    expect(code).toMatch(/^\d+$/);
    await page.getByLabel("Confirmation code").fill("000000" === code ? "111111" : "000000");
    await page.getByRole("button", { name: "Confirm and sign in" }).click();
    await expect(alertIn(page.locator("main")).textContent()).resolves.toContain("That confirmation code is not right");
    await screenshot(page, "02-confirm-wrong-code");

    await page.getByLabel("Confirmation code").fill(code!);
    await page.getByRole("button", { name: "Confirm and sign in" }).click();
    await page.getByRole("heading", { name: "Today's flash sale" }).waitFor();
    expect(await page.getByRole("banner").textContent()).toContain(email);
  });

  it("shows every product with its price, units left, and a countdown that ticks", async () => {
    await card("demo-watch").waitFor();
    expect(await page.locator("article[data-sku]").count()).toBe(3);
    await expect(card("demo-hoodie").locator(".price").textContent()).resolves.toBe("€49.00");
    await expect(card("demo-hoodie").locator(".units").textContent()).resolves.toContain("40 left");

    const countdown = card("demo-sneakers").locator(".countdown .time");
    const before = await countdown.textContent();
    expect(before).toMatch(/^0[01]:\d\d$/);
    await page.waitForFunction(
      ([selector, previous]) => document.querySelector(selector!)?.textContent !== previous,
      [`article[data-sku="demo-sneakers"] .countdown .time`, before] as const,
      { timeout: 3_000 },
    );
    expect(await card("demo-sneakers").getByRole("button", { name: "Buy now" }).count()).toBe(0);
    await screenshot(page, "03-sale");
  });

  it("buys one and finds it, with its total, under My orders", async () => {
    const hoodie = card("demo-hoodie");
    await hoodie.getByLabel("Quantity").selectOption("1");
    await hoodie.getByRole("button", { name: "Buy now" }).click();

    const confirmation = page.getByRole("status").filter({ hasText: "Order confirmed" });
    await confirmation.waitFor();
    expect(await confirmation.textContent()).toContain("1 × Midnight Hoodie, total €49.00");
    // The page re-reads the catalog right after a purchase; the new count arrives with that response.
    await hoodie.locator(".units", { hasText: "39 left" }).waitFor({ timeout: 10_000 });
    await screenshot(page, "04-order-confirmed");

    await confirmation.getByRole("link", { name: "See my orders" }).click();
    await page.getByRole("heading", { name: "My orders" }).waitFor();
    const rows = page.locator("tbody tr");
    await rows.first().waitFor();
    expect(await rows.count()).toBe(1);
    const row = (await rows.first().innerText()).replace(/\s+/g, " ");
    expect(row).toContain("Midnight Hoodie");
    expect(row).toContain("€49.00");
    await screenshot(page, "05-my-orders");
  });

  it("refuses more than the per-customer limit with a plain message, using only the keyboard", async () => {
    await page.getByRole("link", { name: "Sale", exact: true }).click();
    const hoodie = card("demo-hoodie");
    await hoodie.getByLabel("Quantity").waitFor();

    await page.locator("main").focus();
    await tabTo('article[data-sku="demo-hoodie"] select');
    await page.keyboard.press("ArrowDown"); // quantity 2: with the one already bought, over the limit of 2
    expect(await hoodie.getByLabel("Quantity").inputValue()).toBe("2");
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe("Buy now");
    await page.keyboard.press("Enter");

    const message = alertIn(hoodie);
    await message.waitFor();
    expect(await message.textContent()).toContain("Limit reached: each customer can buy at most 2 of this product.");
    await screenshot(page, "06-limit-reached");
  });

  it("buys the last unit and the product turns sold out", async () => {
    const watch = card("demo-watch");
    await expect(watch.locator(".units").textContent()).resolves.toContain("1 left");
    await watch.getByRole("button", { name: "Buy now" }).click();

    await page.getByRole("status").filter({ hasText: "1 × Meridian Watch" }).waitFor();
    await watch.locator(".badge", { hasText: "Sold out" }).waitFor();
    expect(await watch.getAttribute("data-state")).toBe("sold-out");
    expect(await watch.getByRole("button", { name: "Buy now" }).count()).toBe(0);
    await screenshot(page, "07-sold-out");
  });

  it("keeps the session across a reload, signs out, and refuses a wrong password plainly", async () => {
    await page.reload();
    await page.getByRole("heading", { name: "Today's flash sale" }).waitFor();

    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill("Wrong-password-1");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(alertIn(page.locator("main")).textContent()).resolves.toBe("Wrong email or password.");
    await screenshot(page, "08-sign-in-wrong-password");

    await page.getByLabel("Password").fill(password);
    await page.getByLabel("Password").press("Enter");
    await page.getByRole("heading", { name: "Today's flash sale" }).waitFor();
  });

  it("fits a phone screen without sideways scrolling", async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await card("demo-hoodie").waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(page, "09-sale-phone");
    await page.getByRole("link", { name: "My orders" }).click();
    await page.locator("tbody tr").first().waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    await screenshot(page, "10-orders-phone");
  });

  it("saw the browser log only the HTTP refusals the journey provoked", () => {
    // 400 from Cognito (wrong code, wrong password) and 409 from the API (over the limit); nothing else.
    const unexpected = pageErrors.httpStatusLines.filter((line) => !/status of (400|409) /.test(line));
    expect(unexpected).toEqual([]);
  });
});
