import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startLocalStack, type LocalStack } from '@flash-sale/local/stack';
import { watchErrors } from './browser';

export interface ServedStack {
  stack: LocalStack;
  stop(): Promise<void>;
}

/**
 * The local stack serving a private copy of the storefront build (made fresh by the global setup):
 * another run in this working tree may rebuild web/dist, which Angular empties first, while these
 * tests are clicking.
 */
export async function startServedStack(name: string): Promise<ServedStack> {
  const webRoot = mkdtempSync(join(tmpdir(), `${name}-`));
  cpSync(join(__dirname, '..', '..', 'dist', 'browser'), webRoot, { recursive: true });
  const stack = await startLocalStack({ quiet: true, webRoot }).catch((error: unknown) => {
    rmSync(webRoot, { recursive: true, force: true });
    throw error;
  });
  return {
    stack,
    stop: async () => {
      await stack.stop();
      rmSync(webRoot, { recursive: true, force: true });
    },
  };
}

/**
 * How long any wait on the page may take: generous, because the machine running the tests may be busy.
 * Every wait is on a condition, so a quick machine never waits this long.
 */
export const WAIT_MS = 30_000;

/** A desktop-sized page in a fresh context, with its console errors and uncaught exceptions collected. */
export async function openPage(
  browser: Browser,
  prepare?: (context: BrowserContext) => Promise<void>,
): Promise<{ context: BrowserContext; page: Page; pageErrors: ReturnType<typeof watchErrors> }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
  context.setDefaultTimeout(WAIT_MS);
  await prepare?.(context);
  const page = await context.newPage();
  return { context, page, pageErrors: watchErrors(page) };
}
