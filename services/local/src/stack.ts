import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import type { Server } from "node:http";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createShop, type AppOptions } from "@flash-sale/services/app";
import { createHandler, createLog, readEnvironment } from "@flash-sale/services/http";
import { routes, type Route } from "@flash-sale/services/routes";
import { createDocumentClient, salesTallyEffect } from "@flash-sale/services/store";
import { loadProduct, type LoadOutcome, type NewProduct } from "@flash-sale/services/store";
import { ensureStream, ensureTable } from "@flash-sale/services/store";
import { createOrderEventsHandler } from "@flash-sale/services/events";
import { cognitoAccessTokenVerifier } from "./access-token";
import type { CodeDelivery } from "./code-delivery";
import { startCognitoLocal } from "./cognito-local";
import { DEMO_SHOPPER, demoCatalog } from "./demo-catalog";
import { startDynamoLocal, type DynamoLocal } from "./dynamo-local";
import { warmEngine } from "./engine-load";
import { createGateway } from "./gateway";
import type { ConcurrencyLimit } from "./function-concurrency";
import { DEFAULT_FUNCTION_LIMITS } from "./function-limits";
import { supervise } from "./supervisor";
import {
  cognitoClient,
  confirmationCode,
  createShopper,
  ensureUserPool,
  type PoolIds,
  type ShopperSession,
} from "./user-pool";
import { createWebServer, type ClientConfig } from "./web-server";
import { startPaymentStandin } from "./payment-standin";
import { localMailbox } from "./local-mail";
import { pollStream } from "./stream-poller";
import { meteredLog, publishMeter } from "./purchase-meter";
import type { PurchaseMeter } from "@flash-sale/services/running-stack";
import { createStripeProvider, SHOPPER_CALLS } from "@flash-sale/services/payments";

export const REGION = "us-east-1";
export const DEFAULT_TABLE = "flash-sale";
export const DEFAULT_WEB_ROOT = resolve(__dirname, "../../../web/dist/browser");

export interface LocalStackOptions {
  /** Keep DynamoDB and cognito-local data here across restarts; absent means a temporary folder deleted on stop. */
  dataDir?: string;
  /** 0 (the default) picks a free port. */
  apiPort?: number;
  webPort?: number;
  dynamoPort?: number;
  cognitoPort?: number;
  /** The payment stand-in's port (0 or absent: a free one). */
  paymentPort?: number;
  /** How often held units whose hold ran out are returned (ms; default 2 s, so within 5 s of the hold's end). */
  holdSweepMs?: number;
  /** The built storefront; defaults to web/dist/browser. */
  webRoot?: string;
  /** Load (or refresh) the demo catalog and the demo shopper. */
  demo?: boolean;
  /** Silence the per-request JSON logs. */
  quiet?: boolean;
  /** Interface the API and storefront listen on (default loopback only: see README, local security). */
  host?: string;
  /** Where engine restarts and other news are told (default: stdout). */
  say?: (line: string) => void;
  /** Per-request deadline of the handlers (ms); see createHandler. */
  deadlineMs?: number;
  /** Each function's concurrency in the gateway (default DEFAULT_FUNCTION_LIMITS); `{}` for none. */
  functionLimits?: Partial<Record<Route["handler"], ConcurrencyLimit>>;
  /** DynamoDB Local in memory (nothing kept) instead of on disk under the data folder: faster, for load tests. */
  dynamoInMemory?: boolean;
  /** Warm DynamoDB Local's JVM (purchase-shaped transactions on a scratch table) before serving. */
  warm?: boolean;
  /** Niceness of DynamoDB Local's JVM (see DynamoLocalOptions.nice); load runs use 10. */
  dynamoNice?: number;
  /** CPUs for DynamoDB Local's JVM (see DynamoLocalOptions.cpus); load runs give it one of its own. */
  dynamoCpus?: string;
  /** Called with each code cognito-local would have e-mailed (sign-up, password reset). */
  onCodeDelivery?: (delivery: CodeDelivery) => void;
  /** Sees the API's DynamoDB client once, e.g. to meter its calls (perf's waiting-room run). */
  instrumentEngine?: AppOptions["instrument"];
}

export interface LocalStack {
  webUrl: string;
  apiUrl: string;
  region: string;
  config: Required<ClientConfig>;
  cognitoEndpoint: string;
  userPoolId: string;
  userPoolClientId: string;
  tableName: string;
  dynamoEndpoint: string;
  /** The payment stand-in (Stripe's API, hosted pages, webhooks to this stack), and its secret key. */
  payments: { url: string; secretKey: string };
  /** The file every mail to a shopper is appended to (also printed in the terminal). */
  mailbox: string;
  /** The gateway's purchase meter, rewritten every second (what `stock watch` shows as refusals and errors). */
  meterFile: string;
  createShopper(email: string, password: string): Promise<ShopperSession>;
  confirmationCode(username: string): Promise<string | undefined>;
  loadCatalog(products: NewProduct[]): Promise<LoadOutcome[]>;
  /** The engines' current process ids (they change when a supervisor restarts one), for fault drills. */
  enginePids(): { dynamo: number; cognito: number };
  stop(): Promise<void>;
}

interface SavedStack extends PoolIds {
  tableName: string;
  /** The waiting room's signing key (base64), made on first start and kept with the data. */
  admissionKey?: string;
  /** The payment stand-in's webhook signing secret (whsec_…), kept so undelivered events still verify after a restart. */
  paymentWebhookSecret?: string;
}

/** The stand-in accepts only test keys; this one is the local stack's. */
const LOCAL_PAYMENT_SECRET_KEY = "sk_test_flash_sale_local";
const DEFAULT_HOLD_SWEEP_MS = 1_000;

/**
 * The whole platform on this machine: DynamoDB Local, cognito-local, the local API gateway over the
 * route table's handlers, and the storefront with its runtime config.json.
 */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const temporary = options.dataDir === undefined;
  const dataDir = options.dataDir ? resolve(options.dataDir) : mkdtempSync(join(tmpdir(), "flash-sale-"));
  mkdirSync(dataDir, { recursive: true });
  if (options.quiet) process.env.FLASH_SALE_LOGS = "off";
  const stoppers: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const stopOne of stoppers.reverse()) await stopOne().catch(() => undefined);
    if (temporary) rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const say = options.say ?? ((line: string) => process.stdout.write(`${line}\n`));
    const dynamoOptions = {
      ...(options.dynamoInMemory ? {} : { dbPath: join(dataDir, "dynamodb") }),
      ...(options.dynamoNice ? { nice: options.dynamoNice } : {}),
      ...(options.dynamoCpus ? { cpus: options.dynamoCpus } : {}),
    };
    const dynamo: DynamoLocal = await startDynamoLocal({
      ...dynamoOptions,
      ...(options.dynamoPort ? { port: options.dynamoPort } : {}),
    });
    const dynamoEngine = supervise(
      "DynamoDB Local",
      dynamo,
      () => startDynamoLocal({ ...dynamoOptions, port: dynamo.port }),
      say,
    );
    stoppers.push(dynamoEngine.stop);
    const cognitoOptions = { dataDir, ...(options.onCodeDelivery ? { onCodeDelivery: options.onCodeDelivery } : {}) };
    const cognitoLocal = await startCognitoLocal({
      ...cognitoOptions,
      ...(options.cognitoPort ? { port: options.cognitoPort } : {}),
    });
    const cognitoEngine = supervise(
      "cognito-local",
      cognitoLocal,
      () => startCognitoLocal({ ...cognitoOptions, port: cognitoLocal.port }),
      say,
    );
    stoppers.push(cognitoEngine.stop);

    const savedFile = join(dataDir, "stack.json");
    const saved = existsSync(savedFile) ? (JSON.parse(readFileSync(savedFile, "utf8")) as SavedStack) : undefined;
    const tableName = saved?.tableName ?? DEFAULT_TABLE;
    const settings = { tableName, region: REGION, endpoint: dynamo.endpoint };
    const doc = createDocumentClient(settings);
    await ensureTable(doc, tableName);
    const streamArn = await ensureStream(doc, tableName);
    const cognito = cognitoClient(cognitoLocal.endpoint, REGION);
    const pool = await ensureUserPool(cognito, saved);
    const admissionKey = saved?.admissionKey ?? randomBytes(32).toString("base64");
    const paymentWebhookSecret = saved?.paymentWebhookSecret ?? `whsec_${randomBytes(24).toString("base64url")}`;
    writeFileSync(savedFile, JSON.stringify({ tableName, ...pool, admissionKey, paymentWebhookSecret }, null, 2), {
      mode: 0o600,
    });

    // The payment stand-in sends its webhooks to the API, which listens only further down: until then they wait.
    let apiUrl: string | undefined;
    let webUrl: string | undefined;
    const payments = await startPaymentStandin({
      dataDir: join(dataDir, "payments"),
      ...(options.paymentPort ? { port: options.paymentPort } : {}),
      webhookUrl: () => (apiUrl ? `${apiUrl}/payments/webhook` : undefined),
      webhookSecret: paymentWebhookSecret,
      secretKey: LOCAL_PAYMENT_SECRET_KEY,
      log: say,
    });
    stoppers.push(payments.stop);
    const provider = createStripeProvider({
      secretKey: LOCAL_PAYMENT_SECRET_KEY,
      webhookSecret: paymentWebhookSecret,
      ...payments.endpoint,
      ...SHOPPER_CALLS,
    });

    // Before the API listens, so no shopper meets a cold engine.
    if (options.warm) {
      say("• Warming DynamoDB Local (purchase-shaped transactions on a scratch table until the rate settles)…");
      const warmed = await warmEngine(doc);
      say(
        `  ${warmed.settled ? "settled" : "still rising"} at ${warmed.rates.at(-1) ?? 0} transactions/s after ${warmed.seconds} s`,
      );
    }

    // The storefront's origin is known only once it listens; the gateway reads this list per request.
    const allowedOrigins: string[] = [];
    const shop = createShop(settings, {
      admissionKey: Buffer.from(admissionKey, "base64"),
      checkout: { provider, orderPageUrl: (orderId) => `${webUrl ?? ""}/orders/${orderId}` },
      ...(options.instrumentEngine ? { instrument: options.instrumentEngine } : {}),
    });
    // The expiry sweep, as the schedule runs it in AWS but every few seconds, and again at once while a run leaves
    // due holds behind (a full batch); one run at a time.
    const sweepEveryMs = options.holdSweepMs ?? DEFAULT_HOLD_SWEEP_MS;
    let sweeper: NodeJS.Timeout | undefined;
    let sweepStopped = false;
    const sweep = (): void => {
      // Runs start `sweepEveryMs` apart (a slow run on a busy engine does not push the next one back), and the
      // next starts at once while a run leaves due holds behind.
      const started = Date.now();
      let again = false;
      shop
        .sweepHolds()
        .then(({ expired, remaining }) => {
          if (expired > 0) log.payment("holds-expired", expired);
          again = remaining && expired > 0;
        })
        .catch((error: unknown) => log.engineFault("hold-sweep", (error as Error).message))
        .finally(() => {
          if (sweepStopped) return;
          sweeper = setTimeout(sweep, again ? 0 : Math.max(0, started + sweepEveryMs - Date.now()));
          sweeper.unref();
        });
    };
    sweeper = setTimeout(sweep, sweepEveryMs);
    sweeper.unref();
    stoppers.push(async () => {
      sweepStopped = true;
      clearTimeout(sweeper);
    });
    // The order events consumer, the Lambda's handler fed by polling DynamoDB Local's stream as the event source
    // mapping does in AWS. It starts at the stream's end, so a restart does not mail old orders again.
    const mailbox = join(dataDir, "mail", "mailbox.txt");
    const poller = pollStream({
      endpoint: dynamo.endpoint,
      region: REGION,
      streamArn,
      handler: createOrderEventsHandler({
        doc,
        tableName,
        sender: localMailbox(mailbox, say),
        effects: [salesTallyEffect(doc, tableName)],
        onFailure: (error) => log.engineFault("order-events", error.message),
      }),
      onError: (error) => log.engineFault("order-events", error.message),
    });
    stoppers.push(poller.stop);
    // One log for the whole gateway, like a container's, but with the local stack's runtime switch: FLASH_SALE_LOGS
    // may change while it runs (quiet, or a test counting handler lines), so it is asked per line here only.
    // Metered: refusals and errors are not in the table, so `stock watch` reads the gateway's count of them here.
    const meter: PurchaseMeter = { since: new Date().toISOString(), refusals: {}, errors: 0 };
    const log = meteredLog(
      createLog({ ...readEnvironment(), logs: () => process.env.FLASH_SALE_LOGS !== "off" }),
      meter,
    );
    const meterFile = join(dataDir, "meter.json");
    const stopMeter = publishMeter(meter, meterFile);
    stoppers.push(async () => stopMeter());
    const gateway = createGateway({
      routes,
      handlerFor: (route) =>
        createHandler(route, () => shop, {
          log,
          ...(options.deadlineMs === undefined ? {} : { deadlineMs: options.deadlineMs }),
        }),
      verifier: cognitoAccessTokenVerifier(`${cognitoLocal.endpoint}/${pool.userPoolId}`, pool.userPoolClientId),
      allowedOrigins,
      limits: options.functionLimits ?? DEFAULT_FUNCTION_LIMITS,
      onShed: () => {
        meter.errors++;
      },
    });
    const host = options.host ?? LOOPBACK;
    const apiPort = await listen(gateway, options.apiPort ?? 0, host);
    stoppers.push(() => close(gateway));
    apiUrl = `http://localhost:${apiPort}`;
    const config: Required<ClientConfig> = { apiUrl, region: REGION, ...pool, cognitoEndpoint: cognitoLocal.endpoint };
    const web = createWebServer(options.webRoot ?? DEFAULT_WEB_ROOT, config);
    const webPort = await listen(web, options.webPort ?? 0, host);
    stoppers.push(() => close(web));
    allowedOrigins.push(`http://localhost:${webPort}`, `http://127.0.0.1:${webPort}`);
    webUrl = `http://localhost:${webPort}`;

    const loadCatalog = async (products: NewProduct[]) => {
      const outcomes: LoadOutcome[] = [];
      for (const product of products) outcomes.push(await loadProduct(doc, tableName, product));
      return outcomes;
    };
    if (options.demo) {
      await loadCatalog(demoCatalog(Date.now()));
      await createShopper(cognito, pool, DEMO_SHOPPER.email, DEMO_SHOPPER.password);
    }
    return {
      webUrl: `http://localhost:${webPort}`,
      apiUrl,
      region: REGION,
      config,
      cognitoEndpoint: cognitoLocal.endpoint,
      ...pool,
      tableName,
      dynamoEndpoint: dynamo.endpoint,
      payments: { url: payments.url, secretKey: LOCAL_PAYMENT_SECRET_KEY },
      mailbox,
      meterFile,
      createShopper: (email, password) => createShopper(cognito, pool, email, password),
      confirmationCode: async (username) => confirmationCode(cognitoLocal.dbDir, pool.userPoolId, username),
      loadCatalog,
      enginePids: () => ({ dynamo: dynamoEngine.current().pid, cognito: cognitoEngine.current().pid }),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The API and storefront listen here unless told otherwise: nobody else on the network can reach them. */
export const LOOPBACK = "127.0.0.1";

/**
 * Connections waiting to be accepted. Node's default (511) overflows when a sale opens and hundreds of
 * shoppers connect at once: the kernel drops their SYNs and they retry after 1 s and 3 s, which puts
 * whole seconds into the latency of answers that took milliseconds. The kernel caps this at somaxconn.
 */
const ACCEPT_BACKLOG = 4096;

async function listen(server: Server, port: number, host: string): Promise<number> {
  await new Promise<void>((resolveListen, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) =>
      reject(
        error.code === "EADDRINUSE"
          ? new Error(`port ${port} is already in use; choose another with the environment variable (see README)`)
          : error,
      ),
    );
    server.listen({ port, host, backlog: ACCEPT_BACKLOG }, resolveListen);
  });
  const address = server.address();
  return typeof address === "object" && address ? address.port : port;
}

function close(server: Server): Promise<void> {
  return new Promise((resolveClose) => {
    server.closeAllConnections();
    server.close(() => resolveClose());
  });
}
