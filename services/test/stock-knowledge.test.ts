import { StockKnowledge } from "../src/domain/stock-knowledge";

const first = () => 0;

function knowing(units: number[]): StockKnowledge {
  const knowledge = new StockKnowledge();
  knowledge.applySnapshot("sneaker", units, 0);
  return knowledge;
}

test("units held by a write under way are not planned again", () => {
  // prepare: shard 0 has 1 unit, shard 1 has 3; a write is taking shard 0's unit
  const knowledge = knowing([1, 3]);
  knowledge.hold("sneaker", [{ shard: 0, units: 1 }]);

  // act
  const plans = [0, 0.5, 0.99].map((point) => knowledge.plan("sneaker", 1, () => point));

  // assess
  expect(plans).toEqual(new Array(3).fill({ kind: "take", takes: [{ shard: 1, units: 1 }] }));
});

test("when every unit left is held by writes under way, the plan is to wait for them, not sold out", () => {
  // prepare
  const knowledge = knowing([1, 1]);
  knowledge.hold("sneaker", [{ shard: 0, units: 1 }]);
  knowledge.hold("sneaker", [{ shard: 1, units: 1 }]);

  // act
  const plan = knowledge.plan("sneaker", 1, first);

  // assess
  expect(plan).toEqual({ kind: "held" });
  expect(knowledge.isSoldOut("sneaker")).toBe(false);
});

test("a released hold frees its units for the next plan and wakes those waiting for an outcome", async () => {
  // prepare
  const knowledge = knowing([0, 1]);
  const held = knowledge.hold("sneaker", [{ shard: 1, units: 1 }]);
  let woken = false;
  const waiting = knowledge.nextSettlement("sneaker").then(() => {
    woken = true;
  });
  await Promise.resolve();
  expect(woken).toBe(false);

  // act: the write failed (a fault), so nothing was learned about the shard
  held.release();
  await waiting;

  // assess
  expect(woken).toBe(true);
  expect(knowledge.plan("sneaker", 1, first)).toEqual({ kind: "take", takes: [{ shard: 1, units: 1 }] });
});

test("with no write under way, waiting for an outcome returns at once", async () => {
  const knowledge = knowing([1]);

  await expect(knowledge.nextSettlement("sneaker")).resolves.toBeUndefined();
});

test("a shard is chosen in proportion to its free units, so the shards empty together", () => {
  // prepare: shard 0 has 1 unit, shard 1 has 9
  const knowledge = knowing([1, 9]);

  // act: random points spread evenly over [0, 1)
  const shards = Array.from({ length: 100 }, (_, i) => knowledge.plan("sneaker", 1, () => i / 100)).map((plan) =>
    plan.kind === "take" ? plan.takes[0]!.shard : -1,
  );

  // assess
  expect(shards.filter((shard) => shard === 0)).toHaveLength(10);
  expect(shards.filter((shard) => shard === 1)).toHaveLength(90);
});

test("a purchase larger than any shard's free units takes from several, largest first", () => {
  // prepare: 2 + 2 believed, one unit of shard 0 held
  const knowledge = knowing([2, 2]);
  knowledge.hold("sneaker", [{ shard: 0, units: 1 }]);

  // act
  const plan = knowledge.plan("sneaker", 3, first);

  // assess
  expect(plan).toEqual({
    kind: "take",
    takes: [
      { shard: 1, units: 2 },
      { shard: 0, units: 1 },
    ],
  });
});

test("a take confirmed after a snapshot that may already count it is not taken off again", () => {
  // prepare: 5 units believed; a write of 1 goes out, commits, and the shard read that follows sees 4
  const knowledge = knowing([5]);
  const write = knowledge.hold("sneaker", [{ shard: 0, units: 1 }]);
  knowledge.applySnapshot("sneaker", [4], 10);

  // act: the write's answer is handled only now
  knowledge.observeTaken(write, 20);
  write.release();

  // assess: 4, not 3: the belief never falls below what the shard holds
  expect(knowledge.believed("sneaker")).toEqual([4]);
});

test("a take confirmed with no snapshot in between is taken off the belief", () => {
  const knowledge = knowing([5]);
  const write = knowledge.hold("sneaker", [{ shard: 0, units: 2 }]);

  knowledge.observeTaken(write, 20);
  write.release();

  expect(knowledge.believed("sneaker")).toEqual([3]);
});

test("a plan takes from at most maxTakes shards, and says how many one purchase can take when that is short", () => {
  // prepare: 12 units, one per shard
  const knowledge = knowing(new Array(12).fill(1));

  // act
  const fits = knowledge.plan("sneaker", 8, first, new Set(), 8);
  const tooSpread = knowledge.plan("sneaker", 10, first, new Set(), 8);

  // assess
  expect(fits.kind === "take" && fits.takes.length).toBe(8);
  expect(tooSpread).toEqual({ kind: "insufficient", available: 8 });
});

test("requests meeting an empty belief while the sold-out check runs await its answer, and a 'no' brings the shards it read", async () => {
  // prepare: every shard believed empty; the check (the store's consistent read) is slow and finds 5 units in 8 shards
  const knowledge = knowing([0, 0, 0, 0]);
  let checks = 0;
  let answer = (_: { soldOut: false; units: number[]; readAt: number }) => {};
  const check = () => {
    checks++;
    return new Promise<{ soldOut: false; units: number[]; readAt: number }>((resolve) => {
      answer = resolve;
    });
  };

  // act: three requests at once, then the check answers
  const verdicts = Promise.all([1, 2, 3].map(() => knowledge.confirmSoldOut("sneaker", check)));
  answer({ soldOut: false, units: [0, 0, 0, 0, 0, 5, 0, 0], readAt: 1 });

  // assess: one check, nobody told sold out, and the units found are planned
  expect(await verdicts).toEqual([false, false, false]);
  expect(checks).toBe(1);
  expect(knowledge.plan("sneaker", 1, first)).toEqual({ kind: "take", takes: [{ shard: 5, units: 1 }] });
});
