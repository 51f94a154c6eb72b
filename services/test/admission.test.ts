import { randomBytes } from "node:crypto";
import {
  admissionClock,
  admissionRate,
  admittedPlaces,
  lateNotBefore,
  lateSequence,
  PURCHASES_PER_SHARD_PER_SECOND,
  retryAfterSeconds,
  shoppersAhead,
  turnAt,
} from "../src/domain/admission";
import { AdmissionTokens, admissionKeyFrom } from "../src/domain/admission-tokens";

/** The waiting room's arithmetic and tokens, pure: no table involved. */

const OPENS = Date.parse("2030-01-01T10:00:00.000Z");
const product = (overrides: Record<string, unknown> = {}) => ({
  saleStartsAt: new Date(OPENS).toISOString(),
  shardCount: 4,
  ...overrides,
});

describe("admission rate", () => {
  test("defaults to what the product's shards can sell: shards x 250 purchases/s", () => {
    expect(PURCHASES_PER_SHARD_PER_SECOND).toBe(250);
    expect(admissionRate({ shardCount: 4 })).toBe(1_000);
    expect(admissionRate({ shardCount: 16 })).toBe(4_000);
  });

  test("a merchandiser's rate wins over the default", () => {
    expect(admissionRate({ shardCount: 16, admissionRate: 25 })).toBe(25);
  });
});

describe("the admission clock", () => {
  test("admits nobody before the opening, then `rate` places per second", () => {
    const clock = admissionClock(product({ admissionRate: 10 }));
    expect(admittedPlaces(clock, OPENS - 1)).toBe(0);
    expect(admittedPlaces(clock, OPENS)).toBe(0);
    expect(admittedPlaces(clock, OPENS + 2_500)).toBe(25);
  });

  test("a rate changed mid-sale continues from where admission stood", () => {
    const clock = admissionClock(
      product({ admissionRate: 100, admissionBase: { at: new Date(OPENS + 10_000).toISOString(), admitted: 50 } }),
    );
    expect(admittedPlaces(clock, OPENS + 11_000)).toBe(150);
  });

  test("an early joiner's turn follows their drawn place among all early joiners", () => {
    const clock = admissionClock(product({ admissionRate: 10 }));
    // 200 early joiners; a draw of 0.5 puts this one at place 100: 10 s after the opening.
    expect(turnAt({ kind: "early", draw: 0.5 }, clock, 200)).toBe(OPENS + 10_000);
    expect(turnAt({ kind: "early", draw: 0 }, clock, 200)).toBe(OPENS);
  });

  test("a later joiner queues behind every early joiner, in arrival order", () => {
    const clock = admissionClock(product({ admissionRate: 10 }));
    const first = turnAt({ kind: "late", sequence: 0, notBefore: 0 }, clock, 200);
    const second = turnAt({ kind: "late", sequence: 1, notBefore: 0 }, clock, 200);
    expect(first).toBe(OPENS + 20_000);
    expect(second).toBe(OPENS + 20_100);
  });

  test("a crowd arriving after the line emptied is let in at the rate, not all at once", () => {
    // An hour in, 10 places/s: 36,000 places of unused capacity. 500 arrive in one second, 100 of them seen by the snapshot.
    const clock = admissionClock(product({ admissionRate: 10 }));
    const joinedAt = OPENS + 3_600_000;
    const turns = Array.from({ length: 500 }, (_, sequence) =>
      turnAt({ kind: "late", sequence, notBefore: lateNotBefore(joinedAt, sequence, 100, 10) }, clock, 50),
    );
    const admittedWithinASecond = turns.filter((turn) => turn < joinedAt + 1_000).length;
    expect(admittedWithinASecond).toBeLessThanOrEqual(100 + 10);
    expect(Math.max(...turns)).toBe(joinedAt + 39_900);
  });

  test("shoppers ahead count the places between the admission cursor and this turn", () => {
    const clock = admissionClock(product({ admissionRate: 10 }));
    expect(shoppersAhead(OPENS + 10_000, clock, OPENS - 60_000)).toBe(100);
    expect(shoppersAhead(OPENS + 10_000, clock, OPENS + 4_000)).toBe(60);
    expect(shoppersAhead(OPENS + 10_000, clock, OPENS + 10_000)).toBe(0);
  });

  test("later joiners' numbers from interleaved counter shards never collide", () => {
    const numbers = new Set<number>();
    for (let shard = 0; shard < 16; shard++)
      for (let count = 1; count <= 50; count++) numbers.add(lateSequence(16, shard, count));
    expect(numbers.size).toBe(16 * 50);
    expect(Math.min(...numbers)).toBe(0);
    expect(Math.max(...numbers)).toBe(16 * 50 - 1);
  });

  test("polls come after half the wait, right at the turn once it is within 10 s, between 1 s and 5 min", () => {
    expect(retryAfterSeconds(0)).toBe(1);
    expect(retryAfterSeconds(1_500)).toBe(2);
    expect(retryAfterSeconds(9_000)).toBe(9);
    expect(retryAfterSeconds(20_000)).toBe(10);
    expect(retryAfterSeconds(60_000)).toBe(30);
    expect(retryAfterSeconds(3_600_000)).toBe(300);
  });
});

describe("draws", () => {
  const tokens = new AdmissionTokens(randomBytes(32));

  test("a shopper's draw is the same on every call, and differs between sales and products", () => {
    const draw = tokens.draw("jacket", "2030-01-01T10:00:00.000Z", "shopper-1");
    expect(tokens.draw("jacket", "2030-01-01T10:00:00.000Z", "shopper-1")).toBe(draw);
    expect(tokens.draw("jacket", "2030-02-01T10:00:00.000Z", "shopper-1")).not.toBe(draw);
    expect(tokens.draw("boots", "2030-01-01T10:00:00.000Z", "shopper-1")).not.toBe(draw);
  });

  test("draws are spread evenly over [0, 1)", () => {
    const draws = Array.from({ length: 10_000 }, (_, i) => tokens.draw("jacket", "sale", `shopper-${i}`));
    const deciles = new Array<number>(10).fill(0);
    for (const draw of draws) deciles[Math.floor(draw * 10)]!++;
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...draws)).toBeLessThan(1);
    // 1,000 expected per decile; 4 standard deviations (~±120) is a generous band.
    for (const count of deciles) expect(Math.abs(count - 1_000)).toBeLessThan(130);
  });

  test("another key draws another order", () => {
    const other = new AdmissionTokens(randomBytes(32));
    expect(other.draw("jacket", "sale", "shopper-1")).not.toBe(tokens.draw("jacket", "sale", "shopper-1"));
  });
});

describe("passes", () => {
  const tokens = new AdmissionTokens(randomBytes(32));
  const now = OPENS + 5_000;
  const pass = tokens.pass({ sub: "alice", sku: "jacket", exp: now + 60_000 });

  test("a pass is good for its shopper and product until it expires", () => {
    expect(tokens.checkPass(pass, "alice", "jacket", now)).toMatchObject({
      ok: true,
      claims: { sub: "alice", sku: "jacket" },
    });
    expect(tokens.checkPass(pass, "alice", "jacket", now + 60_000)).toMatchObject({
      ok: false,
      reason: "expired",
      expiredAt: now + 60_000,
    });
  });

  test.each([
    ["another shopper", "bob", "jacket", "other-shopper"],
    ["another product", "alice", "boots", "other-product"],
  ])("a pass used by %s is refused", (_name, sub, sku, reason) => {
    expect(tokens.checkPass(pass, sub, sku, now)).toEqual({ ok: false, reason });
  });

  test("a missing, malformed, tampered or foreign-key pass is refused, never thrown on", () => {
    const [version, body, mac] = pass.split(".");
    const tampered = `${version}.${Buffer.from(JSON.stringify({ sub: "alice", sku: "jacket", exp: now + 9e9 })).toString("base64url")}.${mac}`;
    const foreign = new AdmissionTokens(randomBytes(32)).pass({ sub: "alice", sku: "jacket", exp: now + 60_000 });
    expect(tokens.checkPass(undefined, "alice", "jacket", now)).toEqual({ ok: false, reason: "missing" });
    expect(tokens.checkPass("garbage", "alice", "jacket", now)).toEqual({ ok: false, reason: "malformed" });
    expect(tokens.checkPass(`${version}.${body}`, "alice", "jacket", now)).toEqual({ ok: false, reason: "malformed" });
    expect(tokens.checkPass(tampered, "alice", "jacket", now)).toEqual({ ok: false, reason: "forged" });
    expect(tokens.checkPass(foreign, "alice", "jacket", now)).toEqual({ ok: false, reason: "forged" });
  });

  test("a ticket cannot pass as a pass, nor a pass as a ticket", () => {
    const ticket = tokens.ticket({ sub: "alice", sku: "jacket", sale: "s", place: { kind: "early", draw: 0.1 } });
    expect(tokens.checkPass(ticket, "alice", "jacket", now)).toEqual({ ok: false, reason: "forged" });
    expect(tokens.readTicket(pass, "alice", "jacket", "s")).toBeUndefined();
    expect(tokens.readTicket(ticket, "alice", "jacket", "s")).toEqual({ kind: "early", draw: 0.1 });
    expect(tokens.readTicket(ticket, "bob", "jacket", "s")).toBeUndefined();
    expect(tokens.readTicket(ticket, "alice", "jacket", "another sale")).toBeUndefined();
  });
});

describe("the key", () => {
  test("is read from base64 and must be at least 32 bytes", () => {
    expect(admissionKeyFrom(undefined)).toBeUndefined();
    expect(admissionKeyFrom(randomBytes(32).toString("base64"))?.length).toBe(32);
    expect(() => admissionKeyFrom(randomBytes(16).toString("base64"))).toThrow(/at least 32 bytes/);
  });
});
