import { Pool } from "undici";
import { ORIGIN_SECRET_ENV, ORIGIN_SECRET_HEADER } from "@flash-sale/services/routes";

export interface HttpResponse {
  status: number;
  body: string;
}

export interface HttpClient {
  request(method: "GET" | "POST", path: string, headers: Record<string, string>, body?: string): Promise<HttpResponse>;
  /**
   * Opens up to `count` keep-alive connections now, with that many concurrent GETs of `path`, so that a
   * later burst finds them open (as shoppers waiting on a page hold theirs). Says how many it opened.
   */
  openConnections(count: number, path: string): Promise<{ connections: number; ms: number }>;
  close(): Promise<void>;
}

export interface HttpClientOptions {
  /**
   * Keep-alive connections at most; a request finding them all busy waits for one (and that wait is in
   * its measured latency).
   */
  connections: number;
  /** A request whose answer has not begun (or stalls) this long fails with a timeout. */
  timeoutMs: number;
}

/**
 * A keep-alive HTTP/1.1 client on undici's connection pool. The generator shares the machine's cores
 * with the system it measures, so its cost per request matters: `npm run perf -- capacity` sustained
 * 12,000 GETs/s on 0.27 of a core with it, where node:http's Agent saturated a core at about 10,000
 * (perf/RESULTS.md).
 */
export function createHttpClient(baseUrl: string, options: HttpClientOptions): HttpClient {
  const base = new URL(baseUrl);
  const prefix = base.pathname.replace(/\/$/, "");
  // Straight at the execute-api endpoint (no CloudFront), a run sends the origin secret itself: infra/README.md.
  const secret = process.env[ORIGIN_SECRET_ENV];
  const origin: Record<string, string> = secret ? { [ORIGIN_SECRET_HEADER]: secret } : {};
  const pool = new Pool(base.origin, {
    connections: options.connections,
    headersTimeout: options.timeoutMs,
    bodyTimeout: options.timeoutMs,
  });
  const client: HttpClient = {
    async request(method, path, headers, body) {
      const response = await pool.request({
        method,
        path: `${prefix}${path}`,
        headers:
          body === undefined
            ? { ...origin, ...headers }
            : { ...origin, ...headers, "content-type": "application/json" },
        ...(body === undefined ? {} : { body }),
      });
      return { status: response.statusCode, body: await response.body.text() };
    },
    async openConnections(count, path) {
      const started = Date.now();
      await Promise.all(
        Array.from({ length: Math.min(count, options.connections) }, () =>
          client.request("GET", path, {}).catch(() => undefined),
        ),
      );
      return { connections: pool.stats.connected, ms: Date.now() - started };
    },
    close: () => pool.destroy(),
  };
  return client;
}

/** `kind status [CODE]`: the contract's error code when the body carries one. */
export function outcomeLabel(kind: string, response: HttpResponse): string {
  if (response.status < 400) return `${kind} ${response.status}`;
  try {
    const code = (JSON.parse(response.body) as { error?: { code?: unknown } }).error?.code;
    return typeof code === "string" ? `${kind} ${response.status} ${code}` : `${kind} ${response.status}`;
  } catch {
    return `${kind} ${response.status}`;
  }
}

/**
 * The answer created an order: 201, whether the request was a first try or a re-sent intent whose earlier
 * try was shed (a 200 replay answers from an order made before, and confirms nothing new).
 */
export function confirmedPurchase(label: string): boolean {
  return /^(purchase|replay) 201$/.test(label);
}

/** Network failures as outcome labels: `kind ERR ECONNRESET`. */
export function errorLabel(kind: string, error: unknown): string {
  const code = (error as NodeJS.ErrnoException)?.code ?? (error as Error)?.name ?? "Error";
  return `${kind} ERR ${code}`;
}
