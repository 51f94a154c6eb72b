import { PRICES } from "../cost/prices";
import { pollingTheEdge, pollingTheListing, type WatchingInputs, type WatchingLoad } from "../cost/watching";
import { helpText, parseOptions, type OptionSpecs } from "@flash-sale/services/cli";

const WATCHING_OPTIONS = {
  shoppers: {
    type: "number",
    list: true,
    whole: true,
    positive: true,
    default: "100000,1000000",
    help: "watching shoppers, comma-separated",
  },
  "poll-s": {
    type: "number",
    positive: true,
    default: 2,
    help: "seconds between one tab's polls (web/src/app/sale/catalog-poller.ts)",
  },
  "arrival-s": {
    type: "number",
    positive: true,
    default: 600,
    help: "seconds over which watchers arrive and read the signed-in listing once",
  },
  "edge-ttl-s": {
    type: "number",
    positive: true,
    default: 1,
    help: "seconds CloudFront keeps /availability (its Cache-Control max-age)",
  },
  "listing-ms": {
    type: "number",
    default: 5,
    help: "Lambda billed duration of a warm GET /products (ms; an assumption, not measured in AWS)",
  },
  "feed-ms": {
    type: "number",
    default: 3,
    help: "Lambda billed duration of a warm GET /availability (ms; an assumption)",
  },
  "memory-mb": { type: "number", positive: true, default: 1024, help: "Lambda memory (MB)" },
  "container-rps": {
    type: "number",
    positive: true,
    default: 100,
    help: "requests one warm container serves per second",
  },
  "catalog-kb": { type: "number", default: 4, help: "catalog size read by each snapshot Query (KB)" },
  shards: {
    type: "number",
    default: 12,
    help: "stock shards still on sale, read by each snapshot (e.g. 3 products x 4 shards)",
  },
  "listing-bytes": {
    type: "number",
    default: 1500,
    help: "one GET /products response as sent to the viewer (bytes; 3 demo products ~1.2 KB)",
  },
  "feed-bytes": {
    type: "number",
    default: 250,
    help: "one /availability response as sent to the viewer (bytes; 3 products ~200 B)",
  },
  json: { type: "boolean", default: false, help: "print JSON instead of a table" },
} satisfies OptionSpecs;

const count = (n: number) => (n >= 100 ? Math.round(n).toLocaleString("en-US") : n.toFixed(n >= 10 ? 1 : 2));
const usd = (n: number) => `$${n >= 100 ? Math.round(n).toLocaleString("en-US") : n.toFixed(2)}`;

function row(label: string, load: WatchingLoad): string {
  const cells = [
    count(load.apiRequestsPerSecond),
    count(load.lambdaInvocationsPerSecond),
    count(load.dynamoReadUnitsPerSecond),
    count(load.cloudFrontRequestsPerSecond),
    usd(load.usdPerHour.total),
  ];
  return `  ${label.padEnd(44)}${cells.map((cell) => cell.padStart(13)).join("")}`;
}

export async function watchingCommand(argv: string[]): Promise<number> {
  const options = parseOptions(argv, WATCHING_OPTIONS);
  if (options.help) {
    console.log(
      helpText(
        "npm run perf -- watching [options]",
        `What shoppers watching a sale cost before anyone buys: polling the signed-in listing (before) vs. the edge-cached /availability feed (after), at the prices in perf/src/cost/prices.ts (${PRICES.region}, CloudFront US/Europe edges).`,
        WATCHING_OPTIONS,
      ),
    );
    return 0;
  }
  const crowds = options.shoppers;
  const base: Omit<WatchingInputs, "shoppers"> = {
    pollSeconds: options["poll-s"],
    arrivalSeconds: options["arrival-s"],
    edgeTtlSeconds: options["edge-ttl-s"],
    listingMs: options["listing-ms"],
    feedMs: options["feed-ms"],
    lambdaMemoryMb: options["memory-mb"],
    containerRps: options["container-rps"],
    catalogKb: options["catalog-kb"],
    shardsOnSale: options.shards,
    listingBytes: options["listing-bytes"],
    feedBytes: options["feed-bytes"],
  };
  const results = crowds.map((shoppers) => {
    const inputs = { ...base, shoppers };
    return {
      shoppers,
      before: pollingTheListing(inputs, PRICES, PRICES.cloudFront),
      after: pollingTheEdge(inputs, PRICES, PRICES.cloudFront),
    };
  });
  if (options.json) {
    console.log(JSON.stringify({ inputs: base, prices: PRICES, results }, null, 2));
    return 0;
  }
  console.log(
    `prices: ${PRICES.region} list prices taken ${PRICES.takenOn}; CloudFront (sources in perf/src/cost/prices.ts)`,
  );
  console.log(
    `each tab polls every ${base.pollSeconds} s; the feed is cached ${base.edgeTtlSeconds} s at the edge behind an Origin Shield; watchers arrive over ${base.arrivalSeconds} s`,
  );
  console.log(
    `  ${"".padEnd(44)}${["API req/s", "Lambda /s", "DDB RRU/s", "CF req/s", "USD/hour"].map((h) => h.padStart(13)).join("")}`,
  );
  for (const { shoppers, before, after } of results) {
    console.log(row(`${shoppers.toLocaleString("en-US")} watching, before (GET /products)`, before));
    console.log(row(`${shoppers.toLocaleString("en-US")} watching, after (/availability)`, after));
  }
  return 0;
}
