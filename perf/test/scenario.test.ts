import { parseOptions, UsageError } from "@flash-sale/services/cli";
import { RUN_OPTIONS } from "../src/run/options";
import { scenarioOf } from "../src/run/scenario-of";
import type { HttpClient } from "../src/load/http-client";
import { flashSaleExecutor, flashSalePhases } from "../src/scenario/flash-sale";

const aShopper = { email: "a@example.com", sub: "a", accessToken: "t", expiresAt: Date.now() + 3_600_000 };

/** Records what the executor asks for and answers 200 at once: the scenario's choices are under test, not HTTP. */
function recordingClient(): HttpClient & { paths: string[]; tokens: string[] } {
  const paths: string[] = [];
  const tokens: string[] = [];
  return {
    paths,
    tokens,
    request: async (method, path, headers) => {
      paths.push(`${method} ${path}`);
      if (headers.authorization) tokens.push(headers.authorization);
      return { status: 200, body: "{}" };
    },
    openConnections: async () => ({ connections: 0, ms: 0 }),
    close: async () => undefined,
  };
}

test("by default the waiting tabs poll the availability feed once per held connection every 2 s, and every shopper's page loads the listing once", () => {
  const options = parseOptions(["--connections", "800", "--shoppers", "300", "--listing-seconds", "4"], RUN_OPTIONS);

  const scenario = scenarioOf(options, 300);

  expect(scenario.feedRate).toBe(400);
  expect(scenario.listingRate).toBe(75);
  expect(flashSalePhases(scenario)[0]).toMatchObject({ name: "pre-sale", profile: { rate: 475 } });
});

test("before the opening the shoppers take turns, so each signed-in slot is a different shopper until all have been", async () => {
  // prepare: no feed polls, 50 shoppers
  const scenario = scenarioOf(parseOptions(["--feed-rate", "1", "--shoppers", "50"], RUN_OPTIONS), 300);
  const client = recordingClient();
  const crowd = Array.from({ length: 50 }, (_, i) => ({ ...aShopper, sub: `s${i}`, accessToken: `token-${i}` }));
  const execute = flashSaleExecutor({
    client,
    shoppers: crowd,
    sku: "s",
    options: { ...scenario, feedRate: 0 },
    phaseNames: ["pre-sale", "burst", "tail"],
  });

  // act
  await Promise.all(Array.from({ length: 50 }, (_, i) => execute(i, 0).done));

  // assess
  expect(new Set(client.tokens).size).toBe(50);
});

test("before the opening, the feed's share of the slots polls the public feed without a token", async () => {
  // prepare: 480 feed polls and 20 listing polls per second
  const scenario = scenarioOf(parseOptions(["--feed-rate", "480", "--listing-rate", "20"], RUN_OPTIONS), 300);
  const client = recordingClient();
  const execute = flashSaleExecutor({
    client,
    shoppers: [aShopper],
    sku: "s",
    options: scenario,
    phaseNames: ["pre-sale", "burst", "tail"],
  });

  // act
  const kinds = await Promise.all(
    Array.from({ length: 2_000 }, async (_, i) => {
      const slot = execute(i, 0);
      await slot.done;
      return slot.kind;
    }),
  );

  // assess
  const feedShare = kinds.filter((kind) => kind === "feed").length / kinds.length;
  expect(feedShare).toBeGreaterThan(0.93);
  expect(feedShare).toBeLessThan(0.99);
  expect(client.paths.filter((path) => path === "GET /availability")).toHaveLength(
    kinds.filter((kind) => kind === "feed").length,
  );
});

test("once the sale is open, no slot is a feed poll", async () => {
  const scenario = scenarioOf(parseOptions(["--feed-rate", "480"], RUN_OPTIONS), 300);
  const execute = flashSaleExecutor({
    client: recordingClient(),
    shoppers: [aShopper],
    sku: "s",
    options: scenario,
    phaseNames: ["pre-sale", "burst", "tail"],
  });

  const kinds = Array.from({ length: 500 }, (_, i) => execute(i, 1).kind);

  expect(kinds).not.toContain("feed");
});

test("a negative feed rate is refused, naming the option", () => {
  expect(() => scenarioOf(parseOptions(["--feed-rate", "-5"], RUN_OPTIONS), 300)).toThrow(UsageError);
  expect(() => scenarioOf(parseOptions(["--feed-rate", "-5"], RUN_OPTIONS), 300)).toThrow(/--feed-rate/);
});

test("locally the stock is what the engine sells in 70% of the burst, so the burst sells out at 0.7 of the engine's rate", () => {
  // prepare: the engine alone measured 300 tx/s; a 6 s burst
  const options = parseOptions(["--burst-seconds", "6"], RUN_OPTIONS);

  // act
  const scenario = scenarioOf(options, 300);

  // assess: 300 × 6 × 0.7 units, sold in the 6 s of the burst at 210/s
  expect(scenario.units).toBe(1_260);
  expect(scenario.units / scenario.burstSeconds / 300).toBeCloseTo(0.7, 10);
});
