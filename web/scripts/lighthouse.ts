/**
 * `npm run lighthouse`: Lighthouse's mobile preset (simulated slow 4G, 4x CPU slowdown) on the landing page and
 * the signed-in sale page, each with a cold HTTP cache, a few times over; prints the median of each figure and
 * whether the storefront meets its speed goals (README, "Speed").
 *
 *   npm run lighthouse                          starts a private local stack (demo catalog) and measures it
 *   npm run lighthouse -- --url http://localhost:4200   measures a running stack (signs in as the demo shopper)
 *   npm run lighthouse -- --runs 5 --json out.json
 *
 * Scores depend on how busy the machine is (Lighthouse scales the CPU time it observes), so each run prints
 * the load average beside its figures.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import type { Result } from 'lighthouse';
import { chromium } from 'playwright-core';
import { CHROMIUM_FLAGS, chromiumPath } from '../e2e/support/browser';
import { GOALS, median, verdict, type PageFigures } from './lighthouse-goals';

const DEMO_SHOPPER = { email: 'shopper@example.com', password: 'FlashSale1!' };
const SESSION_STORAGE_KEY = 'flash-sale.session';

const { values: options } = parseArgs({
  options: {
    url: { type: 'string' },
    runs: { type: 'string', default: '3' },
    email: { type: 'string', default: DEMO_SHOPPER.email },
    password: { type: 'string', default: DEMO_SHOPPER.password },
    json: { type: 'string' },
  },
});

interface Target {
  webUrl: string;
  stop(): Promise<void>;
}

/** A running stack at `--url`, or a fresh private one with the demo catalog and shopper (ports from the env, as npm start). */
async function target(): Promise<Target> {
  if (options.url) return { webUrl: options.url.replace(/\/+$/, ''), stop: async () => undefined };
  const { buildStorefrontIfStale } = await import('@flash-sale/local/storefront-build');
  if (!buildStorefrontIfStale((message) => console.log(message))) throw new Error('the storefront build failed');
  const { startLocalStack } = await import('@flash-sale/local/stack');
  const port = (name: string) => Number(process.env[name] ?? 0);
  console.log('Starting a local stack (DynamoDB Local, cognito-local, API, storefront)…');
  const stack = await startLocalStack({
    demo: true,
    quiet: true,
    say: () => undefined,
    webPort: port('WEB_PORT'),
    apiPort: port('API_PORT'),
    dynamoPort: port('DYNAMODB_PORT'),
    cognitoPort: port('COGNITO_PORT'),
    paymentPort: port('PAYMENTS_PORT'),
  });
  return { webUrl: stack.webUrl, stop: () => stack.stop() };
}

/** Signs in through Cognito's JSON API at the address the storefront's own config.json names, as the page would. */
async function signIn(webUrl: string): Promise<object> {
  const config = (await (await fetch(`${webUrl}/config.json`)).json()) as {
    userPoolClientId: string;
    region: string;
    cognitoEndpoint?: string;
  };
  const endpoint = config.cognitoEndpoint || `https://cognito-idp.${config.region}.amazonaws.com/`;
  const reply = await fetch(endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': 'AWSCognitoIdentityProviderService.InitiateAuth',
    },
    body: JSON.stringify({
      ClientId: config.userPoolClientId,
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: options.email, PASSWORD: options.password },
    }),
  });
  const body = (await reply.json()) as {
    AuthenticationResult?: { AccessToken: string; IdToken: string; RefreshToken: string };
    message?: string;
  };
  const tokens = body.AuthenticationResult;
  if (!reply.ok || !tokens) throw new Error(`signing in as ${options.email} failed: ${body.message ?? reply.status}`);
  const claims = JSON.parse(Buffer.from(tokens.AccessToken.split('.')[1]!, 'base64url').toString()) as {
    sub: string;
    exp: number;
  };
  return {
    email: options.email,
    sub: claims.sub,
    accessToken: tokens.AccessToken,
    idToken: tokens.IdToken,
    refreshToken: tokens.RefreshToken,
    expiresAt: claims.exp * 1000,
  };
}

/** Chromium with a DevTools port of its choosing (read back from DevToolsActivePort), for Lighthouse to drive. */
async function startChromium(): Promise<{ port: number; stop(): Promise<void> }> {
  const profile = mkdtempSync(join(tmpdir(), 'lighthouse-chromium-'));
  const child: ChildProcess = spawn(
    chromiumPath(),
    [...CHROMIUM_FLAGS, '--remote-debugging-port=0', `--user-data-dir=${profile}`, 'about:blank'],
    { stdio: 'ignore' },
  );
  const portFile = join(profile, 'DevToolsActivePort');
  for (const deadline = Date.now() + 30_000; !existsSync(portFile) || readFileSync(portFile, 'utf8') === ''; ) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error('Chromium did not open its DevTools port');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const port = Number(readFileSync(portFile, 'utf8').split('\n')[0]);
  return {
    port,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill();
        await exited;
      }
      rmSync(profile, { recursive: true, force: true, maxRetries: 5 });
    },
  };
}

/**
 * Empties the HTTP cache and sets (or clears) the stored session on the storefront's origin. Lighthouse's own
 * storage reset would also wipe the session, so it is switched off and this does the cache part.
 */
async function prepareBrowser(port: number, webUrl: string, session: object | undefined): Promise<void> {
  const browser = await chromium.connectOverCDP(`http://127.0.0.1:${port}`);
  try {
    const context = browser.contexts()[0]!;
    const page = await context.newPage();
    await page.goto(`${webUrl}/favicon.svg`);
    // A string, not a function: tsx's helpers (`__name`) do not exist in the page.
    await page.evaluate(
      session
        ? `localStorage.setItem(${JSON.stringify(SESSION_STORAGE_KEY)}, ${JSON.stringify(JSON.stringify(session))})`
        : 'localStorage.clear()',
    );
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.clearBrowserCache');
    await page.close();
  } finally {
    await browser.close().catch(() => undefined);
  }
}

interface AuditDetails {
  items?: { duration?: number; url?: string }[];
}

/**
 * Lighthouse's own CLI in a plain Node process: under tsx, functions Lighthouse sends into the page would carry
 * tsx's `__name` helper, which the page lacks.
 */
const LIGHTHOUSE_CLI = join(dirname(require.resolve('lighthouse/package.json')), 'cli', 'index.js');

async function measure(port: number, url: string): Promise<PageFigures> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [
      LIGHTHOUSE_CLI,
      url,
      `--port=${port}`,
      '--output=json',
      '--quiet',
      '--disable-storage-reset',
      '--only-categories=performance,accessibility,best-practices',
    ],
    { maxBuffer: 256 * 1024 * 1024 },
  );
  const { categories, audits, runtimeError, finalDisplayedUrl } = JSON.parse(stdout) as Result;
  if (runtimeError) throw new Error(`Lighthouse failed on ${url}: ${runtimeError.code} ${runtimeError.message}`);
  const score = (id: string) => Math.round((categories[id]?.score ?? 0) * 100);
  const longTaskItems = (audits['long-tasks']?.details as AuditDetails | undefined)?.items ?? [];
  const longTasks = longTaskItems.map((item) => item.duration ?? 0);
  const requests = (audits['network-requests']?.details as { items?: { transferSize?: number }[] } | undefined)?.items;
  return {
    shownUrl: new URL(finalDisplayedUrl).pathname,
    performance: score('performance'),
    accessibility: score('accessibility'),
    bestPractices: score('best-practices'),
    tbtMs: Math.round(audits['total-blocking-time']?.numericValue ?? Number.NaN),
    lcpMs: Math.round(audits['largest-contentful-paint']?.numericValue ?? Number.NaN),
    fcpMs: Math.round(audits['first-contentful-paint']?.numericValue ?? Number.NaN),
    longestTaskMs: Math.round(Math.max(0, ...longTasks)),
    longTasks: longTaskItems.map(
      (item) => `${Math.round(item.duration ?? 0)} ms ${new URL(item.url ?? '', url).pathname}`,
    ),
    transferKb: Math.round((requests ?? []).reduce((sum, item) => sum + (item.transferSize ?? 0), 0) / 1024),
    failedAudits: Object.values(audits)
      .filter((audit) => audit.score !== null && audit.score < 1 && audit.scoreDisplayMode === 'binary')
      .map((audit) => audit.id),
  };
}

function line(name: string, figures: PageFigures, load: string): string {
  return [
    `${name} (${figures.shownUrl})`.padEnd(20),
    `performance ${String(figures.performance).padStart(3)}`,
    `accessibility ${String(figures.accessibility).padStart(3)}`,
    `best practices ${String(figures.bestPractices).padStart(3)}`,
    `TBT ${String(figures.tbtMs).padStart(5)} ms`,
    `LCP ${String(figures.lcpMs).padStart(5)} ms`,
    `FCP ${String(figures.fcpMs).padStart(5)} ms`,
    `longest task ${String(figures.longestTaskMs).padStart(4)} ms`,
    `${String(figures.transferKb).padStart(4)} kB`,
    load,
  ].join('  ');
}

async function main(): Promise<void> {
  const runs = Number(options.runs);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a whole number ≥ 1, not "${options.runs}"`);
  const stack = await target();
  const chrome = await startChromium().catch(async (error: unknown) => {
    await stack.stop();
    throw error;
  });
  const results: Record<string, PageFigures[]> = { landing: [], sale: [] };
  try {
    const session = await signIn(stack.webUrl);
    const pages = [
      { name: 'landing', url: `${stack.webUrl}/`, session: undefined },
      { name: 'sale', url: `${stack.webUrl}/`, session },
    ];
    for (let run = 1; run <= runs; run++) {
      for (const page of pages) {
        await prepareBrowser(chrome.port, stack.webUrl, page.session);
        const load = `load ${loadavg()
          .map((value) => value.toFixed(2))
          .join(' ')}`;
        const figures = await measure(chrome.port, page.url);
        results[page.name]!.push(figures);
        console.log(`run ${run}/${runs}  ${line(page.name, figures, load)}`);
        if (figures.failedAudits.length > 0)
          console.log(`           failed audits: ${figures.failedAudits.join(', ')}`);
        if (figures.longTasks.length > 0) console.log(`           long tasks: ${figures.longTasks.join(', ')}`);
      }
    }
  } finally {
    await chrome.stop().catch(() => undefined);
    await stack.stop();
  }
  console.log(
    `\nMedian of ${runs} run(s) (goals: performance ≥ ${GOALS.performance}, accessibility ${GOALS.accessibility}, best practices ${GOALS.bestPractices}, no task over ${GOALS.longestTaskMs} ms):`,
  );
  const missed: string[] = [];
  for (const [name, all] of Object.entries(results)) {
    const middle = median(all);
    console.log(line(name, middle, ''));
    missed.push(...verdict(middle).map((goal) => `${name}: ${goal}`));
  }
  if (options.json) writeFileSync(options.json, JSON.stringify(results, null, 2));
  console.log(missed.length === 0 ? '\nPASSED: every goal met.' : `\nFAILED: ${missed.join('; ')}`);
  process.exitCode = missed.length === 0 ? 0 : 1;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 2;
});
