import { randomUUID } from "node:crypto";
import type { AdmissionView } from "@flash-sale/services/contract";
import type { NewProduct } from "@flash-sale/services/store";
import type { HttpClient, HttpResponse } from "../load/http-client";
import type { Shopper } from "./shoppers";

/**
 * A waiting-room sale as shoppers' browsers play it: every shopper joins the line at a random moment
 * before the opening, then polls only when told (retryAfterSeconds, 1 s to 5 min, as the storefront
 * does), buys at once with the pass when admitted, and stops when told the product sold out. Bots
 * that never join try to buy all through the sale: without a pass, with a forged one, with a pass
 * copied from an admitted shopper.
 */

export interface WaitingRoomScenario {
  units: number;
  shoppers: number;
  bots: number;
  /** Shoppers admitted per second. */
  rate: number;
  /** Joins are spread over this many seconds before the opening. */
  joinSeconds: number;
  shards: number;
  /** Bot purchase attempts per second, all bots together, from the opening until the line is through. */
  botRate: number;
  /** Give up on shoppers still waiting after this long past the opening. */
  maxSeconds: number;
}

export type ShopperEnd = "bought" | "sold-out" | "limit" | "expired" | "closed" | "timeout" | "error";

export interface ShopperRecord {
  sub: string;
  joinedAt: number;
  admittedAt?: number;
  confirmedAt?: number;
  /** When the shopper learnt the product was sold out (their poll or their purchase said so). */
  toldSoldOutAt?: number;
  end: ShopperEnd;
  polls: number;
}

export interface BotRecord {
  kind: "no pass" | "forged pass" | "copied pass";
  status: number;
  code?: string;
}

export function waitingRoomProduct(runId: string, opensAt: number, scenario: WaitingRoomScenario): NewProduct {
  return {
    sku: `line-${runId}`,
    name: `Waiting-room run ${runId}`,
    description:
      "Loaded by npm run perf -- waiting-room: ten times more shoppers than units, joining before the opening.",
    imageUrl: "https://example.com/perf.png",
    priceCents: 4_999,
    currency: "EUR",
    saleStartsAt: new Date(opensAt).toISOString(),
    saleEndsAt: new Date(opensAt + (scenario.maxSeconds + 600) * 1000).toISOString(),
    perCustomerLimit: 1,
    shardCount: scenario.shards,
    units: scenario.units,
    waitingRoom: true,
    admissionRate: scenario.rate,
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
/** A response body as the scenario reads it: an admission view, an error, or nothing (not JSON). */
type Body = Partial<Omit<AdmissionView, "state">> & {
  state?: AdmissionView["state"] | "error";
  status?: number;
  error?: { code?: string; retryAfterSeconds?: number };
};
const body = (response: HttpResponse): Body => {
  try {
    return JSON.parse(response.body) as Body;
  } catch {
    return {};
  }
};

/** The storefront's poll delay: what the server says, kept within 1 s .. 5 min. */
const pollDelayMs = (retryAfterSeconds: unknown) => Math.min(300, Math.max(1, Number(retryAfterSeconds) || 2)) * 1000;

export async function runWaitingRoomSale(args: {
  client: HttpClient;
  shoppers: Shopper[];
  bots: Shopper[];
  sku: string;
  opensAt: number;
  scenario: WaitingRoomScenario;
  random?: () => number;
}): Promise<{ shoppers: ShopperRecord[]; bots: BotRecord[] }> {
  const { client, sku, opensAt, scenario } = args;
  const random = args.random ?? Math.random;
  const auth = (shopper: Shopper) => ({ authorization: `Bearer ${shopper.accessToken}` });
  const deadline = opensAt + scenario.maxSeconds * 1000;
  const passes: string[] = [];
  let done = 0;

  const admission = async (shopper: Shopper, ticket: string | undefined): Promise<Body> => {
    for (let attempt = 0; ; attempt++) {
      const response = await client.request(
        "GET",
        `/admission/${sku}${ticket ? `?ticket=${encodeURIComponent(ticket)}` : ""}`,
        auth(shopper),
      );
      if (response.status === 200) return body(response);
      if (response.status !== 503 || attempt >= 5) return { state: "error", status: response.status };
      await sleep(1_000);
    }
  };

  const buy = async (shopper: Shopper, pass: string): Promise<{ status: number; code?: string }> => {
    const purchase = JSON.stringify({ sku, quantity: 1, idempotencyKey: randomUUID(), admissionPass: pass });
    for (let attempt = 0; ; attempt++) {
      const response = await client.request("POST", "/purchases", auth(shopper), purchase);
      if (response.status !== 503 || attempt >= 3) return { status: response.status, code: body(response).error?.code };
      await sleep(Number(body(response).error?.retryAfterSeconds ?? 1) * 1000);
    }
  };

  const journey = async (shopper: Shopper): Promise<ShopperRecord> => {
    await sleep(opensAt - scenario.joinSeconds * 1000 + random() * (scenario.joinSeconds * 1000 - 500) - Date.now());
    const record: ShopperRecord = { sub: shopper.sub, joinedAt: Date.now(), end: "timeout", polls: 1 };
    try {
      let view = await admission(shopper, undefined);
      while (Date.now() < deadline) {
        if (view.state === "admitted" && view.pass) {
          record.admittedAt = Date.now();
          passes.push(view.pass);
          const outcome = await buy(shopper, view.pass);
          if (outcome.status === 201 || outcome.status === 200) {
            record.confirmedAt = Date.now();
            record.end = "bought";
          } else if (outcome.code === "SOLD_OUT" || outcome.code === "INSUFFICIENT_STOCK") {
            record.toldSoldOutAt = Date.now();
            record.end = "sold-out";
          } else record.end = outcome.code === "LIMIT_EXCEEDED" ? "limit" : "error";
          return record;
        }
        if (view.state === "sold-out") {
          record.toldSoldOutAt = Date.now();
          record.end = "sold-out";
          return record;
        }
        if (view.state !== "waiting") {
          record.end = view.state === "expired" || view.state === "closed" ? view.state : "error";
          return record;
        }
        await sleep(pollDelayMs(view.retryAfterSeconds));
        record.polls++;
        view = await admission(shopper, view.ticket);
      }
      return record;
    } catch {
      record.end = "error";
      return record;
    } finally {
      done++;
    }
  };

  const botAttempts = async (): Promise<BotRecord[]> => {
    const records: BotRecord[] = [];
    const inFlight: Promise<void>[] = [];
    await sleep(opensAt - Date.now());
    for (let n = 0; done < args.shoppers.length && Date.now() < deadline; n++) {
      const bot = args.bots[n % args.bots.length]!;
      const kinds: BotRecord["kind"][] = ["no pass", "forged pass", "copied pass"];
      const kind = kinds[n % kinds.length]!;
      const copied = passes[Math.floor(random() * passes.length)];
      const pass =
        kind === "no pass"
          ? undefined
          : kind === "copied pass" && copied
            ? copied
            : `v1.${Buffer.from(JSON.stringify({ sub: bot.sub, sku, exp: Date.now() + 60_000 })).toString("base64url")}.${randomUUID()}`;
      const purchase = JSON.stringify({
        sku,
        quantity: 1,
        idempotencyKey: randomUUID(),
        ...(pass ? { admissionPass: pass } : {}),
      });
      inFlight.push(
        client.request("POST", "/purchases", auth(bot), purchase).then(
          (response) => void records.push({ kind, status: response.status, code: body(response).error?.code }),
          () => void records.push({ kind, status: 0 }),
        ),
      );
      await sleep(1000 / scenario.botRate);
    }
    await Promise.all(inFlight);
    return records;
  };

  const [shoppers, bots] = await Promise.all([
    Promise.all(args.shoppers.map(journey)),
    args.bots.length > 0 ? botAttempts() : Promise.resolve([]),
  ]);
  return { shoppers, bots };
}
