import { parseOptions, UsageError } from "../src/cli/args";
import { RUN_OPTIONS, scenarioOf } from "../src/cli/run";
import type { HttpClient } from "../src/load/http-client";
import { flashSaleExecutor, flashSalePhases } from "../src/scenario/flash-sale";

const aShopper = { email: "a@example.com", sub: "a", accessToken: "t", expiresAt: Date.now() + 3_600_000 };

/** Records what the executor asks for and answers 200 at once: the scenario's choices are under test, not HTTP. */
function recordingClient(): HttpClient & { paths: string[] } {
  const paths: string[] = [];
  return {
    paths,
    request: async (method, path) => { paths.push(`${method} ${path}`); return { status: 200, body: "{}" }; },
    openConnections: async () => ({ connections: 0, ms: 0 }),
    close: async () => undefined,
  };
}

test("by default the waiting tabs poll the availability feed once per held connection every 2 s, on top of the listing polls", () => {
  const options = parseOptions(["--connections", "800"], RUN_OPTIONS);

  const scenario = scenarioOf(options, 300);

  expect(scenario.feedRate).toBe(400);
  expect(flashSalePhases(scenario)[0]).toMatchObject({ name: "pre-sale", profile: { rate: 420 } });
});

test("before the opening, the feed's share of the slots polls the public feed without a token", async () => {
  // prepare: 480 feed polls and 20 listing polls per second
  const scenario = scenarioOf(parseOptions(["--feed-rate", "480", "--listing-rate", "20"], RUN_OPTIONS), 300);
  const client = recordingClient();
  const execute = flashSaleExecutor({ client, shoppers: [aShopper], sku: "s", options: scenario, phaseNames: ["pre-sale", "burst", "tail"] });

  // act
  const kinds = await Promise.all(Array.from({ length: 2_000 }, async (_, i) => { const slot = execute(i, 0); await slot.done; return slot.kind; }));

  // assess
  const feedShare = kinds.filter((kind) => kind === "feed").length / kinds.length;
  expect(feedShare).toBeGreaterThan(0.93);
  expect(feedShare).toBeLessThan(0.99);
  expect(client.paths.filter((path) => path === "GET /availability")).toHaveLength(kinds.filter((kind) => kind === "feed").length);
});

test("once the sale is open, no slot is a feed poll", async () => {
  const scenario = scenarioOf(parseOptions(["--feed-rate", "480"], RUN_OPTIONS), 300);
  const execute = flashSaleExecutor({ client: recordingClient(), shoppers: [aShopper], sku: "s", options: scenario, phaseNames: ["pre-sale", "burst", "tail"] });

  const kinds = Array.from({ length: 500 }, (_, i) => execute(i, 1).kind);

  expect(kinds).not.toContain("feed");
});

test("a negative feed rate is refused, naming the option", () => {
  expect(() => scenarioOf(parseOptions(["--feed-rate", "-5"], RUN_OPTIONS), 300)).toThrow(UsageError);
  expect(() => scenarioOf(parseOptions(["--feed-rate", "-5"], RUN_OPTIONS), 300)).toThrow(/--feed-rate/);
});
