import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

/**
 * Debian's Chromium (`apt-get install chromium`) by preference: the /usr/bin wrapper works too but
 * prints a shell warning. CHROMIUM_PATH overrides both.
 */
const CHROMIUM_CANDIDATES = [process.env.CHROMIUM_PATH, '/usr/lib/chromium/chromium', '/usr/bin/chromium'].filter(
  (path): path is string => !!path,
);
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
export const SCREENSHOTS = join(__dirname, '..', '..', 'screenshots');

export function chromiumPath(): string {
  const executablePath = CHROMIUM_CANDIDATES.find((path) => existsSync(path));
  if (!executablePath) {
    throw new Error(
      `Chromium was not found (looked at ${CHROMIUM_CANDIDATES.join(', ')}). Install it with: sudo apt-get install -y chromium, or set CHROMIUM_PATH.`,
    );
  }
  return executablePath;
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_FLAGS });
}

/**
 * Everything the page reports as an error: console errors and uncaught exceptions. A browser's own
 * "Failed to load resource" lines for HTTP statuses the test provokes on purpose (e.g. a 409 when
 * buying over the limit) are kept apart, so the test can say which ones it expects.
 */
export function watchErrors(page: Page): { errors: string[]; httpStatusLines: string[] } {
  const errors: string[] = [];
  const httpStatusLines: string[] = [];
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const line = `${message.text()} (${message.location().url})`;
    if (/^Failed to load resource: the server responded with a status of \d{3}/.test(message.text()))
      httpStatusLines.push(line);
    else errors.push(line);
  });
  page.on('pageerror', (error) => errors.push(`uncaught: ${error.stack ?? error.message}`));
  return { errors, httpStatusLines };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}
