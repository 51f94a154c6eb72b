import {
  admissionClock,
  lateNotBefore,
  lateSequence,
  retryAfterSeconds,
  shoppersAhead,
  turnAt,
  type Place,
} from "./admission";
import type { AdmissionTokens } from "./admission-tokens";
import type { AdmissionView } from "./admission-view";
import type { CatalogCache } from "./catalog";
import { StoreUnavailableError } from "./ports";
import type { StockKnowledge } from "./stock-knowledge";
import type { Product, PurchaseRequest, PurchaseResult } from "./types";
import { purchaseRequestProblem, skuProblem } from "./validation";

/** Joins are counted on this many counter items (distinct partitions), each good for ~1,000 joins/s. */
export const JOIN_COUNTER_SHARDS = 16;

/**
 * A later join is counted by the request that recorded it; another request finding it still uncounted after
 * this long (the first died between its writes) takes the counting over.
 */
export const PLACING_LEASE_MS = 2_000;

/** A repeated join polls the first one's record this often (ms, ~1 s in all, inside the 2.5 s deadline), then says try again. */
const PLACING_POLLS_MS = [10, 20, 40, 80, 160, 240, 240, 240];

/** How long an admitted shopper's turn (and so their pass) lasts. */
export const DEFAULT_PASS_TTL_MS = 5 * 60_000;

/** A shopper's join of one sale, as stored under their own partition. */
export interface JoinRecord {
  joinedAt: number;
  early: boolean;
  /** Later joiners only, once counted. */
  sequence?: number;
  notBefore?: number;
  /** Later joiners only, until placed: when the request counting this join began (its lease). */
  placing?: number;
}

export interface JoinCounts {
  early: number;
  late: number;
}

/** The storage the waiting room needs (store/admission-store.ts on DynamoDB). No call touches a shared hot item. */
export interface AdmissionStore {
  readJoin(shopper: string, sku: string, sale: string): Promise<JoinRecord | undefined>;
  /** Records the shopper's first join of this sale; false (nothing written) when they had joined already. */
  claimJoin(shopper: string, sku: string, sale: string, record: JoinRecord): Promise<boolean>;
  /** Counts one join of this kind on one counter shard; the shard's new count of that kind. */
  countJoin(sku: string, sale: string, shard: number, kind: keyof JoinCounts): Promise<number>;
  /** Takes over counting an unplaced later join whose lease began at `since`; false when another request did. */
  takeOverPlacing(shopper: string, sku: string, sale: string, since: number, now: number): Promise<boolean>;
  /** Gives a later joiner their place, once; false when they already had one. */
  placeLateJoin(shopper: string, sku: string, sale: string, sequence: number, notBefore: number): Promise<boolean>;
  readJoinCounts(sku: string, sale: string, shards: number): Promise<JoinCounts>;
}

export type { AdmissionView } from "./admission-view";

export type AdmissionResult =
  | { ok: true; view: AdmissionView }
  | { ok: false; code: "INVALID_REQUEST" | "PRODUCT_NOT_FOUND"; message: string; details?: Record<string, unknown> };

export interface WaitingRoomDeps {
  catalog: CatalogCache;
  knowledge: StockKnowledge;
  clock: () => number;
  random: () => number;
  sleep: (ms: number) => Promise<void>;
  /** Absent when no admission key is configured: then waiting-room products cannot be bought (fail closed). */
  admission?: { store: AdmissionStore; tokens: AdmissionTokens; passTtlMs: number };
  /** Join counts are re-read at most this often per container and sale (~1 s). */
  countsTtlMs: number;
}

/**
 * Fair, bounded admission for products with `waitingRoom: true` (the rule is in admission.ts). Joining
 * writes only under the shopper's own partition plus one of 16 counter shards; polling with the ticket
 * reads nothing; a purchase's pass is checked in memory before any DynamoDB call.
 */
export class WaitingRoom {
  private readonly counts = new Map<string, { readAt: number; value?: JoinCounts; pending?: Promise<JoinCounts> }>();
  /** Round-robin over the counter shards from a random start: even load, and arrival order kept to within one round. */
  private nextShard: number;

  constructor(private readonly deps: WaitingRoomDeps) {
    this.nextShard = Math.min(JOIN_COUNTER_SHARDS - 1, Math.floor(deps.random() * JOIN_COUNTER_SHARDS));
  }

  /** The purchase's gate: NOT_ADMITTED unless the product has no waiting room or the pass is this shopper's, for this sku, unexpired. */
  async refusal(request: PurchaseRequest): Promise<PurchaseResult | undefined> {
    // A malformed request is the purchase's to refuse (400), before anything is read.
    if (purchaseRequestProblem(request)) return undefined;
    const product = await this.deps.catalog.product(request.sku);
    if (!product?.waitingRoom) return undefined;
    const tokens = this.deps.admission?.tokens;
    if (!tokens)
      return notAdmitted(
        "The waiting room is not configured on this server (ADMISSION_KEY is missing), so nobody can be admitted.",
        "unconfigured",
      );
    const check = tokens.checkPass(request.admissionPass, request.shopper, request.sku, this.deps.clock());
    if (check.ok) return undefined;
    if (check.reason === "missing") {
      return notAdmitted(
        `'${request.sku}' sells through a waiting room: join it with GET /admission/${request.sku} and buy with the admissionPass it gives you when your turn comes.`,
        "missing",
      );
    }
    if (check.reason === "expired") {
      return notAdmitted(
        `Your turn to buy '${request.sku}' ended at ${new Date(check.expiredAt ?? 0).toISOString()}.`,
        "expired",
        { expiredAt: new Date(check.expiredAt ?? 0).toISOString() },
      );
    }
    return notAdmitted(`This admissionPass is not a valid pass for you and '${request.sku}'.`, check.reason);
  }

  /** Joins the shopper (once per sale) and says where they stand; with their ticket, without any read. */
  async status(shopper: string, sku: string, ticket?: string): Promise<AdmissionResult> {
    const problem = skuProblem(sku);
    if (problem) return { ok: false, code: "INVALID_REQUEST", message: problem };
    const product = await this.deps.catalog.product(sku);
    if (!product)
      return { ok: false, code: "PRODUCT_NOT_FOUND", message: `No product has sku '${sku}'.`, details: { sku } };
    if (!product.waitingRoom)
      return {
        ok: false,
        code: "PRODUCT_NOT_FOUND",
        message: `'${sku}' has no waiting room: buy it directly.`,
        details: { sku },
      };
    const admission = this.deps.admission;
    if (!admission) throw new Error("the waiting room is not configured: set ADMISSION_KEY (base64, 32+ bytes)");

    const now = this.deps.clock();
    const base = { sku, opensAt: product.saleStartsAt, serverTime: new Date(now).toISOString() };
    if (now >= Date.parse(product.saleEndsAt)) return view({ ...base, state: "closed", admitted: false });
    // Everyone still waiting learns of the sell-out on their next poll, and nobody joins a sold-out line.
    if (product.soldOut || this.deps.knowledge.isSoldOut(sku))
      return view({ ...base, state: "sold-out", admitted: false });

    const place =
      admission.tokens.readTicket(ticket, shopper, sku, product.saleStartsAt) ??
      (await this.placeOf(shopper, product, now));
    const clock = admissionClock(product);
    const turn = turnAt(place, clock, (await this.joinCounts(product)).early);
    const ownTicket = admission.tokens.ticket({ sub: shopper, sku, sale: product.saleStartsAt, place });
    if (now < turn) {
      const wait = turn - now;
      return view({
        ...base,
        state: "waiting",
        admitted: false,
        position: shoppersAhead(turn, clock, now),
        estimatedWaitSeconds: Math.ceil(wait / 1000),
        turnAt: new Date(turn).toISOString(),
        retryAfterSeconds: retryAfterSeconds(wait),
        ticket: ownTicket,
      });
    }
    const expiresAt = Math.min(turn + admission.passTtlMs, Date.parse(product.saleEndsAt));
    if (now >= expiresAt)
      return view({ ...base, state: "expired", admitted: false, turnAt: new Date(turn).toISOString() });
    return view({
      ...base,
      state: "admitted",
      admitted: true,
      position: 0,
      ticket: ownTicket,
      pass: admission.tokens.pass({ sub: shopper, sku, exp: expiresAt }),
      passExpiresAt: new Date(expiresAt).toISOString(),
    });
  }

  /** The shopper's place: from their join record, or by joining now (the only writes of the waiting room). */
  private async placeOf(shopper: string, product: Product, now: number): Promise<Place> {
    const { store, tokens } = this.deps.admission!;
    const { sku, saleStartsAt: sale } = product;
    const record = await store.readJoin(shopper, sku, sale);
    if (record) return this.placeOfJoined(shopper, product, record);
    const early = now < Date.parse(sale);
    const joined: JoinRecord = { joinedAt: now, early, ...(early ? {} : { placing: now }) };
    // Only the request whose conditional write recorded the join counts it: however many of the shopper's
    // requests arrive together, from however many devices, the line counts them once.
    if (!(await store.claimJoin(shopper, sku, sale, joined))) return this.placeOfJoined(shopper, product);
    if (!early) return this.placeLateJoiner(shopper, product, joined);
    await store.countJoin(sku, sale, this.counterShard(), "early");
    return { kind: "early", draw: tokens.draw(sku, sale, shopper) };
  }

  /**
   * The place of a shopper who has joined: an early joiner's at once; a later joiner's once the request that
   * recorded the join has counted it (polled briefly), or counted here if that request died before placing it
   * (its lease of PLACING_LEASE_MS ran out: one conditional write takes it over, so still one count).
   */
  private async placeOfJoined(shopper: string, product: Product, seen?: JoinRecord): Promise<Place> {
    const { store, tokens } = this.deps.admission!;
    const { sku, saleStartsAt: sale } = product;
    for (let poll = 0; ; poll++) {
      const record = seen ?? (await store.readJoin(shopper, sku, sale));
      seen = undefined;
      if (!record)
        throw new StoreUnavailableError(`the join of ${sku} by this shopper was not found after it was written`);
      if (record.early) return { kind: "early", draw: tokens.draw(sku, sale, shopper) };
      if (record.sequence !== undefined && record.notBefore !== undefined)
        return { kind: "late", sequence: record.sequence, notBefore: record.notBefore };
      const since = record.placing ?? record.joinedAt;
      const now = this.deps.clock();
      if (now - since >= PLACING_LEASE_MS) {
        if (await store.takeOverPlacing(shopper, sku, sale, since, now))
          return this.placeLateJoiner(shopper, product, record);
        continue;
      }
      if (poll >= PLACING_POLLS_MS.length)
        throw new StoreUnavailableError("another request of this shopper is still joining this line");
      await this.deps.sleep(PLACING_POLLS_MS[poll]!);
    }
  }

  private async placeLateJoiner(shopper: string, product: Product, record: JoinRecord): Promise<Place> {
    const { store } = this.deps.admission!;
    const { sku, saleStartsAt: sale } = product;
    const shard = this.counterShard();
    const count = await store.countJoin(sku, sale, shard, "late");
    const sequence = lateSequence(JOIN_COUNTER_SHARDS, shard, count);
    const notBefore = lateNotBefore(
      record.joinedAt,
      sequence,
      (await this.joinCounts(product)).late,
      admissionClock(product).rate,
    );
    if (await store.placeLateJoin(shopper, sku, sale, sequence, notBefore))
      return { kind: "late", sequence, notBefore };
    const placed = await store.readJoin(shopper, sku, sale);
    return placed?.sequence !== undefined && placed.notBefore !== undefined
      ? { kind: "late", sequence: placed.sequence, notBefore: placed.notBefore }
      : { kind: "late", sequence, notBefore };
  }

  private counterShard(): number {
    this.nextShard = (this.nextShard + 1) % JOIN_COUNTER_SHARDS;
    return this.nextShard;
  }

  /** Joins so far (early, late), read at most once per `countsTtlMs` per container and sale, whatever the traffic. */
  private joinCounts(product: Product): Promise<JoinCounts> {
    const key = `${product.sku}\n${product.saleStartsAt}`;
    const now = this.deps.clock();
    const entry = this.counts.get(key) ?? { readAt: -Infinity };
    this.counts.set(key, entry);
    if (entry.value && now - entry.readAt < this.deps.countsTtlMs) return Promise.resolve(entry.value);
    entry.pending ??= this.deps
      .admission!.store.readJoinCounts(product.sku, product.saleStartsAt, JOIN_COUNTER_SHARDS)
      .then((value) => {
        entry.value = value;
        entry.readAt = now;
        return value;
      })
      .finally(() => {
        entry.pending = undefined;
      });
    return entry.pending;
  }
}

function view(body: AdmissionView): AdmissionResult {
  return { ok: true, view: body };
}

function notAdmitted(message: string, reason: string, extra: Record<string, unknown> = {}): PurchaseResult {
  return { ok: false, code: "NOT_ADMITTED", message, details: { reason, ...extra } };
}
