import type { IncomingMessage, ServerResponse } from "node:http";
import { type Ledger, NoSuchObject, RequestRefused } from "./ledger";
import { listPage } from "./list";
import { type ParamNode, ParamError, parseParams } from "./params";
import { newId, type StandinState } from "./state";
import type { WebhookSender } from "./webhooks";

/** Stripe forgets an idempotency key after 24 hours. */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60_000;
/** The largest request body the stand-in reads. */
export const MAX_BODY_BYTES = 256 * 1024;

export interface ApiContext {
  secretKey: string;
  state: StandinState;
  ledger: Ledger;
  webhooks: WebhookSender;
}

interface StripeErrorBody {
  type: "invalid_request_error" | "api_error" | "idempotency_error";
  message: string;
  code?: string;
  param?: string;
}

interface Answer {
  status: number;
  body: string;
  /** The answer kept for the request's Idempotency-Key, sent again. */
  replayed?: boolean;
}

const json = (status: number, value: unknown): Answer => ({ status, body: JSON.stringify(value, null, 2) });
const failure = (status: number, error: StripeErrorBody): Answer => json(status, { error });

/** The body as text; undefined when it is larger than `limit` (the rest is read and dropped). */
export async function readBody(request: IncomingMessage, limit = MAX_BODY_BYTES): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= limit) chunks.push(chunk);
  }
  return size > limit ? undefined : Buffer.concat(chunks).toString("utf8");
}

/** The API key of `Authorization: Bearer <key>` (the SDK's way) or `Basic base64(<key>:)` (curl's `-u key:`). */
function apiKey(request: IncomingMessage): string | undefined {
  const header = request.headers.authorization;
  if (!header) return undefined;
  const [scheme, value = ""] = header.trim().split(/\s+/, 2);
  if (scheme?.toLowerCase() === "bearer") return value;
  if (scheme?.toLowerCase() === "basic") return Buffer.from(value, "base64").toString("utf8").split(":")[0];
  return undefined;
}

const masked = (key: string) =>
  `${key.slice(0, 8)}${"*".repeat(Math.max(0, Math.min(key.length - 12, 20)))}${key.slice(-4)}`;

/** Parameters with every hash's keys sorted: the same request in another field order is the same request. */
function fingerprint(params: ParamNode): string {
  const sorted = (value: ParamNode[string]): unknown =>
    typeof value === "string"
      ? value
      : Object.fromEntries(
          Object.keys(value)
            .sort()
            .map((key) => [key, sorted(value[key]!)]),
        );
  return JSON.stringify(sorted(params));
}

type Operation = (params: ParamNode, apiVersion: string | null) => object;

/**
 * The part of Stripe's API the adapter uses (`/v1/…`) and the stand-in's own control endpoint
 * (`/_standin/…`), answered in Stripe's shapes: objects as JSON, errors as `{"error": {type, message,
 * code?, param?}}` with 400, 401 or 404.
 */
export async function handleApi(
  context: ApiContext,
  request: IncomingMessage,
  response: ServerResponse,
  path: string,
  query = new URLSearchParams(),
): Promise<void> {
  const requestId = newId("req_", 14);
  const idempotencyKey = headerValue(request.headers["idempotency-key"]);
  const stripeVersion = headerValue(request.headers["stripe-version"]);
  const send = (answer: Answer) => {
    response.writeHead(answer.status, {
      "content-type": "application/json",
      "cache-control": "no-cache, no-store",
      "request-id": requestId,
      ...(idempotencyKey ? { "idempotency-key": idempotencyKey } : {}),
      ...(answer.replayed ? { "idempotent-replayed": "true" } : {}),
      ...(stripeVersion ? { "stripe-version": stripeVersion } : {}),
    });
    response.end(answer.body);
  };

  let answer: Answer;
  try {
    answer = await answerApi(context, request, path, idempotencyKey, query);
  } catch (error) {
    // A client that went away mid-request (the body cut off) is nobody's bug and has nobody to answer.
    if (request.destroyed) return;
    process.stderr.write(
      `payment stand-in: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    answer = failure(500, { type: "api_error", message: "The local Stripe stand-in failed on this request." });
  }
  if (!response.headersSent) send(answer);
}

async function answerApi(
  context: ApiContext,
  request: IncomingMessage,
  path: string,
  idempotencyKey: string | undefined,
  query: URLSearchParams,
): Promise<Answer> {
  const method = request.method ?? "GET";
  const key = apiKey(request);
  if (!key)
    return failure(401, {
      type: "invalid_request_error",
      message:
        "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').",
    });
  if (key !== context.secretKey)
    return failure(401, {
      type: "invalid_request_error",
      code: "api_key_invalid",
      message: `Invalid API Key provided: ${masked(key)}`,
    });

  const body = method === "POST" ? await readBody(request) : "";
  if (body === undefined)
    return failure(413, { type: "invalid_request_error", message: "The request body is too large." });

  const { ledger } = context;
  const apiVersion = headerValue(request.headers["stripe-version"]) ?? null;
  const route = `${method} ${path}`;
  const id = path.split("/")[4] ?? "";
  let operation: Operation | undefined;
  let retrieved: (() => object | undefined) | undefined;
  let kind = "";
  if (route === "POST /v1/checkout/sessions") operation = (params) => ledger.createSession(params, apiVersion);
  else if (/^POST \/v1\/checkout\/sessions\/[^/]+\/expire$/.test(route)) operation = () => ledger.expireSession(id);
  else if (route === "POST /v1/refunds") operation = (params) => ledger.createRefund(params);
  else if (route === "POST /_standin/delay") operation = (params) => setDelay(context.webhooks, params);
  else if (/^GET \/v1\/checkout\/sessions\/[^/]+$/.test(route)) {
    kind = "checkout.session";
    retrieved = () => ledger.session(id)?.session;
  } else if (/^GET \/v1\/payment_intents\/[^/]+$/.test(route)) {
    kind = "payment_intent";
    retrieved = () => ledger.paymentIntent(path.split("/")[3]!);
  } else if (/^GET \/v1\/refunds\/[^/]+$/.test(route)) {
    kind = "refund";
    retrieved = () => ledger.refund(path.split("/")[3]!);
  }

  // Lists (Stripe's `GET /v1/checkout/sessions?status=…` and `GET /v1/refunds`), for reconciliation.
  if (route === "GET /v1/checkout/sessions" || route === "GET /v1/refunds") {
    try {
      const status = query.get("status") ?? undefined;
      const objects = route === "GET /v1/refunds" ? ledger.refunds() : ledger.sessions(status);
      const page = listPage<{ id: string; created: number }>(objects, query, path);
      await context.state.save();
      return json(200, page);
    } catch (error) {
      if (error instanceof ParamError) return paramFailure(error);
      throw error;
    }
  }

  if (retrieved) {
    const object = retrieved();
    // Reading a session can expire it (its time has passed): that change and its event are saved first.
    await context.state.save();
    context.webhooks.schedulePending();
    return object
      ? json(200, object)
      : failure(404, {
          type: "invalid_request_error",
          code: "resource_missing",
          param: "id",
          message: `No such ${kind}: '${kind === "checkout.session" ? id : path.split("/")[3]}'`,
        });
  }
  if (!operation)
    return failure(404, {
      type: "invalid_request_error",
      message: `Unrecognized request URL (${method}: ${path}). The local Stripe stand-in knows only POST /v1/checkout/sessions, GET /v1/checkout/sessions (list), GET /v1/checkout/sessions/:id, POST /v1/checkout/sessions/:id/expire, POST /v1/refunds, GET /v1/refunds (list), GET /v1/refunds/:id and GET /v1/payment_intents/:id.`,
    });

  let params: ParamNode;
  try {
    params = parseParams(
      route === "POST /_standin/delay" && looksLikeJson(request) ? jsonAsParams(body) : contentOf(request, body),
    );
  } catch (error) {
    if (error instanceof ParamError) return paramFailure(error);
    throw error;
  }

  const idempotent = idempotencyKey !== undefined && path.startsWith("/v1/");
  if (idempotent) {
    if (idempotencyKey.length > 255)
      return failure(400, {
        type: "invalid_request_error",
        param: "Idempotency-Key",
        message: "Idempotency-Key must be at most 255 characters long.",
      });
    const earlier = context.state.data.idempotency[idempotencyKey];
    if (earlier && Date.now() - earlier.at < IDEMPOTENCY_TTL_MS) {
      if (earlier.method !== method || earlier.path !== path || earlier.fingerprint !== fingerprint(params))
        return failure(400, {
          type: "idempotency_error",
          message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${idempotencyKey}' if you meant to execute a different request.`,
        });
      // The first answer may still be on its way to disk: the replay waits for it too.
      await context.state.flushed();
      return { status: earlier.status, body: earlier.body, replayed: true };
    }
  }

  let answer: Answer;
  try {
    answer = json(200, operation(params, apiVersion));
  } catch (error) {
    // Parameters that fail their checks never started the request: Stripe keeps no answer for the key.
    if (error instanceof RequestRefused) answer = paramFailure(error);
    else if (error instanceof ParamError) return paramFailure(error);
    else if (error instanceof NoSuchObject) return missing(error);
    else throw error;
  }
  if (idempotent)
    context.state.data.idempotency[idempotencyKey] = {
      method,
      path,
      fingerprint: fingerprint(params),
      ...answer,
      at: Date.now(),
    };
  await context.state.save();
  context.webhooks.schedulePending();
  return answer;
}

function paramFailure(error: ParamError): Answer {
  return failure(400, {
    type: "invalid_request_error",
    message: error.message,
    code: error.code,
    ...(error.param ? { param: error.param } : {}),
  });
}

function missing(error: NoSuchObject): Answer {
  return failure(error.param ? 400 : 404, {
    type: "invalid_request_error",
    code: "resource_missing",
    message: error.message,
    param: error.param ?? "id",
  });
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function looksLikeJson(request: IncomingMessage): boolean {
  return (request.headers["content-type"] ?? "").toLowerCase().startsWith("application/json");
}

/** The body's parameters: form-encoded, as the SDK sends them (Stripe reads nothing else on /v1). */
function contentOf(request: IncomingMessage, body: string): string {
  const type = (request.headers["content-type"] ?? "application/x-www-form-urlencoded").toLowerCase();
  if (body !== "" && !type.startsWith("application/x-www-form-urlencoded"))
    throw new ParamError(
      `Invalid request: the body must be application/x-www-form-urlencoded, not ${type.split(";")[0]}.`,
      undefined,
      "parameter_invalid",
    );
  return body;
}

/** The control endpoint also takes a flat JSON object: `{"type": "checkout.session.completed", "delayMs": 5000}`. */
function jsonAsParams(body: string): string {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    throw new ParamError("Invalid JSON body.");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new ParamError("The body must be a JSON object.");
  return new URLSearchParams(
    Object.entries(value).map(([name, field]): [string, string] => [
      name,
      typeof field === "string" ? field : JSON.stringify(field),
    ]),
  ).toString();
}

/**
 * `POST /_standin/delay` with `type` (an event type) and `delayMs`: every later event of that type
 * waits this long before its first delivery (0 ends the delay). Answers the delays now in force.
 */
function setDelay(webhooks: WebhookSender, params: ParamNode): object {
  const type = params.type;
  const delay = params.delayMs;
  if (typeof type !== "string" || !/^[a-z_]+(\.[a-z_]+)+$/.test(type) || type.length > 100)
    throw new ParamError("type must be an event type, e.g. checkout.session.completed", "type");
  if (typeof delay !== "string" || !/^\d{1,8}$/.test(delay) || Number(delay) > 3_600_000)
    throw new ParamError("delayMs must be a whole number of milliseconds from 0 to 3600000", "delayMs");
  for (const name of Object.keys(params))
    if (name !== "type" && name !== "delayMs")
      throw new ParamError(`Received unknown parameter: ${name}`, name, "parameter_unknown");
  webhooks.setDelay(type, Number(delay));
  return { object: "standin.delays", delays: webhooks.delaysByType() };
}
