import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { robustServer } from "../http-server";
import { type ApiContext, handleApi, IDEMPOTENCY_TTL_MS, readBody } from "./api";
import { Ledger, NoSuchObject } from "./ledger";
import { closedPage, notFoundPage, payPage } from "./page";
import { StandinState } from "./state";
import { LOCAL_RETRIES, type RetrySchedule, WebhookSender } from "./webhooks";

export interface PaymentStandinOptions {
  /** Sessions, payment intents, refunds, idempotency keys and undelivered events are kept here (one JSON file). */
  dataDir: string;
  /** A fixed port on 127.0.0.1; absent or 0 picks a free one. */
  port?: number;
  /**
   * Where events are POSTed (the shop's `/payments/webhook`). A function is read at each attempt, for a
   * receiver that listens only after the stand-in starts; while it returns undefined, attempts fail and are retried.
   */
  webhookUrl: string | (() => string | undefined);
  /** The endpoint's signing secret (`whsec_…`), as the adapter's `webhookSecret`. */
  webhookSecret: string;
  /** The only API key accepted (`sk_test_…`; a live key is refused). */
  secretKey: string;
  /** Per event type, a wait before its first delivery (also settable while running: `POST /_standin/delay`). */
  delayDeliveryMs?: Record<string, number>;
  /** Webhook retries (default LOCAL_RETRIES: 0.5 s doubling to 10 s, for an hour). */
  retries?: Partial<RetrySchedule>;
  /**
   * What the sessions take as now (epoch ms): their `created`, the `expires_at` window, and when they
   * expire. Tests move it forward; webhook timing and signatures always use the real time.
   */
  clock?: () => number;
  /** Where given-up deliveries and failures are told (default: nowhere). */
  log?: (line: string) => void;
}

export interface PaymentStandin {
  /** What the Stripe SDK (and so the adapter) takes as `host`, `port` and `protocol`. */
  endpoint: { host: string; port: number; protocol: "http" };
  /** `http://127.0.0.1:<port>`: the API's base and the hosted pages' origin. */
  url: string;
  /** Stops listening and sending; everything undelivered stays on disk for the next start. */
  stop(): Promise<void>;
}

const HOST = "127.0.0.1";
/** How often open sessions are checked for a passed `expires_at`. */
const EXPIRY_SWEEP_MS = 500;

/**
 * A local stand-in for the part of Stripe the payment adapter uses, so the official SDK runs unchanged
 * against it: Checkout Sessions (create, retrieve, expire), refunds, the hosted payment page with test
 * cards, and webhooks signed as Stripe signs them, retried until the endpoint answers 2xx.
 */
export async function startPaymentStandin(options: PaymentStandinOptions): Promise<PaymentStandin> {
  if (!options.secretKey.startsWith("sk_test_"))
    throw new Error("the payment stand-in takes only a test secret key (sk_test_…), never a live one");
  if (!options.webhookSecret.startsWith("whsec_"))
    throw new Error("the payment stand-in's webhook secret must look like Stripe's (whsec_…)");
  const log = options.log ?? (() => undefined);
  const clock = options.clock ?? Date.now;
  const state = new StandinState(options.dataDir);
  const webhookUrl = options.webhookUrl;
  const webhooks = new WebhookSender({
    state,
    url: typeof webhookUrl === "function" ? webhookUrl : () => webhookUrl,
    secret: options.webhookSecret,
    retries: { ...LOCAL_RETRIES, ...options.retries },
    log,
  });
  for (const [type, delayMs] of Object.entries(options.delayDeliveryMs ?? {})) webhooks.setDelay(type, delayMs);
  let baseUrl = "";
  const ledger = new Ledger({ state, webhooks, clock, baseUrl: () => baseUrl });
  const context: ApiContext = { secretKey: options.secretKey, state, ledger, webhooks };

  const server = robustServer("payment stand-in", (request, response) =>
    route(context, request, response).catch((error: unknown) => {
      // A client that went away mid-request: nothing to answer, nothing wrong here.
      if (!request.destroyed) throw error;
    }),
  );
  const port = await listen(server, options.port ?? 0);
  baseUrl = `http://${HOST}:${port}`;

  // Sessions past their `expires_at` expire (and say so) without anyone looking at them; old keys are forgotten.
  const sweep = setInterval(() => {
    const expired = ledger.expireDue();
    const now = Date.now();
    for (const [key, answer] of Object.entries(state.data.idempotency))
      if (now - answer.at >= IDEMPOTENCY_TTL_MS) delete state.data.idempotency[key];
    if (expired)
      state
        .save()
        .then(() => webhooks.schedulePending())
        .catch((error: unknown) => log(`payment stand-in: saving failed: ${(error as Error).message}`));
  }, EXPIRY_SWEEP_MS);
  sweep.unref();
  webhooks.schedulePending();

  return {
    endpoint: { host: HOST, port, protocol: "http" },
    url: baseUrl,
    stop: async () => {
      clearInterval(sweep);
      webhooks.stop();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await state.flushed();
    },
  };
}

async function route(context: ApiContext, request: IncomingMessage, response: ServerResponse): Promise<void> {
  // Only the path matters; a malformed target is just an unknown page.
  const [path = "/", search = ""] = (request.url ?? "/").split("?");
  if (path.startsWith("/v1/") || path.startsWith("/_standin/"))
    return handleApi(context, request, response, path, new URLSearchParams(search));
  const page = /^\/pay\/([A-Za-z0-9_]{1,200})$/.exec(path);
  const method = request.method ?? "GET";
  if (page && (method === "GET" || method === "HEAD")) return showPage(context, page[1]!, response);
  if (page && method === "POST") return submitPage(context, page[1]!, request, response);
  request.resume();
  html(response, page ? 405 : 404, notFoundPage(), page ? { allow: "GET, POST" } : {});
}

async function showPage(context: ApiContext, sessionId: string, response: ServerResponse): Promise<void> {
  const record = context.ledger.session(sessionId);
  // Looking can expire the session: that is saved (and its event sent) like any change.
  await context.state.save();
  context.webhooks.schedulePending();
  if (!record) return html(response, 404, notFoundPage());
  html(response, 200, record.session.status === "open" ? payPage(record) : closedPage(record));
}

async function submitPage(
  context: ApiContext,
  sessionId: string,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const body = await readBody(request, 16 * 1024);
  const cardNumber = (body === undefined ? "" : new URLSearchParams(body).get("cardNumber")) ?? "";
  let outcome: ReturnType<Ledger["pay"]>;
  try {
    outcome = context.ledger.pay(sessionId, cardNumber.slice(0, 100));
  } catch (error) {
    if (error instanceof NoSuchObject) return html(response, 404, notFoundPage());
    throw error;
  }
  await context.state.save();
  context.webhooks.schedulePending();
  const record = context.ledger.session(sessionId)!;
  switch (outcome.kind) {
    case "paid":
      return redirect(response, outcome.redirect);
    case "declined":
      // Like Stripe's page: the shopper stays, told why, and may try another card.
      return html(response, 402, payPage(record, `${outcome.message} Try another card.`, cardNumber.slice(0, 100)));
    case "unknown-card":
      return html(
        response,
        400,
        payPage(
          record,
          "Use a test card: 4242 4242 4242 4242 pays, 4000 0000 0000 0002 is declined.",
          cardNumber.slice(0, 100),
        ),
      );
    case "closed":
      if (outcome.status === "complete") return redirect(response, outcome.redirect);
      return html(response, 410, closedPage(record));
  }
}

function html(response: ServerResponse, status: number, page: string, headers: Record<string, string> = {}): void {
  response.writeHead(status, {
    "content-type": "text/html; charset=utf-8",
    "cache-control": "no-store",
    "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; frame-ancestors 'none'",
    "x-content-type-options": "nosniff",
    ...headers,
  });
  response.end(page);
}

function redirect(response: ServerResponse, location: string): void {
  response.writeHead(303, { location, "cache-control": "no-store" });
  response.end();
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, HOST, () => {
      server.off("error", reject);
      const address = server.address();
      resolve(typeof address === "object" && address ? address.port : port);
    });
  });
}
