import type { Shop } from "../src/domain/shop";
import { spearman } from "@flash-sale/local/rank-correlation";
import { readJoinCounts } from "../src/store/admission-store";
import type { AdmissionView } from "../src/domain/waiting-room";
import { aProduct, aWaitingRoomContainer, loadProduct, type TestTable } from "./support/shop";
import { createTestTable } from "./support/table";

/**
 * The waiting room's fairness rule against DynamoDB Local, on a simulated clock: 600 shoppers join
 * during the ten minutes before the opening (some many times, from several containers), then the
 * clock runs and every shopper polls with their ticket until admitted.
 */

const MINUTE = 60_000;
const RATE = 100;
const EARLY = 600;
const BATCH = 20;

let table: TestTable;
beforeAll(async () => {
  table = await createTestTable();
});
afterAll(async () => {
  await table.drop();
});

describe("fair admission at the opening", () => {
  const opensAt = Date.now() + 60 * MINUTE;
  let now = opensAt - 10 * MINUTE;
  const clock = () => now;
  let containers: Shop[];
  let sku: string;
  const joinedAt = new Map<string, number>();
  const tickets = new Map<string, string>();
  const firstViews = new Map<string, AdmissionView>();
  const admittedAt = new Map<string, number>();

  const join = async (shopper: string, container: Shop) => {
    const result = await container.admission(shopper, sku);
    if (!result.ok) throw new Error(`join of ${shopper} refused: ${result.message}`);
    return result.view;
  };

  beforeAll(async () => {
    // prepare: a waiting-room product opening in 10 simulated minutes, four containers
    const product = await loadProduct(
      table,
      aProduct({
        waitingRoom: true,
        admissionRate: RATE,
        units: 5_000,
        shardCount: 4,
        perCustomerLimit: 1,
        saleStartsAt: new Date(opensAt).toISOString(),
        saleEndsAt: new Date(opensAt + 60 * MINUTE).toISOString(),
      }),
    );
    sku = product.sku;
    containers = Array.from({ length: 4 }, () => aWaitingRoomContainer(table, { clock }));

    // act: shoppers join in batches spread over the ten minutes; the last batch joins in the last second
    for (let batch = 0; batch < EARLY / BATCH; batch++) {
      now = opensAt - 10 * MINUTE + (batch * (10 * MINUTE - 1_000)) / (EARLY / BATCH - 1);
      await Promise.all(
        Array.from({ length: BATCH }, async (_, i) => {
          const shopper = `early-${batch * BATCH + i}`;
          const view = await join(shopper, containers[i % containers.length]!);
          joinedAt.set(shopper, now);
          tickets.set(shopper, view.ticket!);
          firstViews.set(shopper, view);
        }),
      );
    }
  }, 120_000);

  test("repeated joins, from any container and without the ticket, keep the same place and count once", async () => {
    // act: the first 50 shoppers join again five times each, just before the opening
    now = opensAt - 500;
    const again = await Promise.all(
      Array.from({ length: 50 }, async (_, i) => {
        const shopper = `early-${i}`;
        const views = [];
        for (let n = 0; n < 5; n++) views.push(await join(shopper, containers[(i + n + 1) % containers.length]!));
        return { shopper, views };
      }),
    );
    const reference = await join("early-0", containers[0]!);

    // assess: everyone has one place; the counters saw each shopper once
    for (const { shopper, views } of again) {
      // The ticket carries the place: one place per shopper, whichever container answered.
      expect(new Set(views.map((view) => view.ticket))).toEqual(new Set([firstViews.get(shopper)!.ticket]));
    }
    expect(reference.state).toBe("waiting");
    expect(await readJoinCounts(table.doc, table.tableName, sku, new Date(opensAt).toISOString(), 16)).toEqual({
      early: EARLY,
      late: 0,
    });
  });

  test("after the opening, places are admitted at the rate, in an order unrelated to when shoppers joined", async () => {
    // act: run the clock from the opening, every waiting shopper polling with their ticket every 25 ms
    const waiting = new Set(joinedAt.keys());
    const admittedByThreeSeconds: number[] = [];
    for (now = opensAt; waiting.size > 0 && now < opensAt + 2 * (EARLY / RATE) * 1_000; now += 25) {
      await Promise.all(
        [...waiting].map(async (shopper, i) => {
          const result = await containers[i % containers.length]!.admission(shopper, sku, tickets.get(shopper));
          if (result.ok && result.view.state === "admitted") {
            admittedAt.set(shopper, now);
            waiting.delete(shopper);
          }
        }),
      );
      if (now === opensAt + 3_000) admittedByThreeSeconds.push(admittedAt.size);
    }

    // assess: everyone admitted within the line's length at the rate (6 s), ~rate x t by any time
    expect(waiting.size).toBe(0);
    expect(Math.max(...admittedAt.values()) - opensAt).toBeLessThanOrEqual((EARLY / RATE) * 1_000 + 50);
    // 300 expected by 3 s (binomial spread ±12): the purchase path never sees more than the rate allows.
    expect(admittedByThreeSeconds[0]).toBeGreaterThan(300 - 60);
    expect(admittedByThreeSeconds[0]).toBeLessThan(300 + 60);

    const shoppers = [...joinedAt.keys()];
    const rho = spearman(
      shoppers.map((s) => joinedAt.get(s)!),
      shoppers.map((s) => admittedAt.get(s)!),
    );
    process.stdout.write(
      `fairness: Spearman rank correlation of join time vs admission time over ${shoppers.length} early joiners = ${rho.toFixed(3)}\n`,
    );
    // With no correlation the standard error is 1/sqrt(599) ≈ 0.041: |rho| < 0.15 is more than 3.5 of them.
    expect(Math.abs(rho)).toBeLessThan(0.15);

    // Joining in the last second buys nothing: the last batch's mean admission is mid-line, not at its front.
    const lastBatch = shoppers.slice(-BATCH).map((s) => admittedAt.get(s)! - opensAt);
    const mean = lastBatch.reduce((sum, value) => sum + value, 0) / lastBatch.length;
    expect(mean).toBeGreaterThan(1_000);
  });

  test("shoppers who join after the opening queue behind every early joiner, in arrival order", async () => {
    // prepare: the line is full of early joiners; one container takes 48 later joiners in turn
    now = opensAt + 1_000;
    const late: { shopper: string; turn: number }[] = [];

    // act
    for (let i = 0; i < 48; i++) {
      now += 10;
      const view = await join(`late-${i}`, containers[0]!);
      late.push({ shopper: `late-${i}`, turn: Date.parse(view.turnAt!) });
    }

    // assess: behind the whole early line (6 s at the rate), and never ahead of one who came a round (16) earlier
    for (const { turn } of late) expect(turn).toBeGreaterThanOrEqual(opensAt + (EARLY / RATE) * 1_000);
    for (let i = 0; i < late.length; i++)
      for (let j = i + 16; j < late.length; j++) expect(late[j]!.turn).toBeGreaterThanOrEqual(late[i]!.turn);
  });
});
