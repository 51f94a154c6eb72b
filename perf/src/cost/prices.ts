/**
 * AWS list prices, us-east-1, USD. Every figure was taken from the stored public material searched on
 * 2026-11-23 (this project's `search` tool; no live pricing API is reachable from this machine). Where
 * the page is not AWS's own, that is said. Re-check on the AWS pricing pages before relying on them.
 */
export const PRICES = {
  region: "us-east-1",
  takenOn: "2026-11-23",
  dynamodb: {
    /** On-demand, standard table class, after the November 2024 50% on-demand reduction. */
    writeRequestUnitPerMillion: 0.625,
    readRequestUnitPerMillion: 0.125,
    source:
      "airbyte.com/data-engineering-resources/dynamodb-pricing (page dated 2025-07-21, 'Write Request Units (WRU): $0.625 per million ... Read Request Units (RRU): $0.125 per million', US East). AWS's own page aws.amazon.com/dynamodb/pricing/on-demand/ is stored but its rate table is not in the stored text.",
  },
  lambda: {
    /** arm64 (Graviton), first 7.5 billion GB-seconds per month. */
    arm64PerGbSecond: 0.0000133334,
    requestsPerMillion: 0.2,
    source:
      "cloudchipr.com/blog/aws-lambda-pricing ('ARM Pricing - First 7.5 Billion GB-seconds per month: $0.0000133334 per GB-second', US East (N. Virginia), 2024) and git.mcrn.ar lambda-13-cost.md (arm64 $0.0000133334 / GB-s, requests $0.20 / 1M); requests $0.20 per million also on api-evangelist aws-lambda plans (from aws.amazon.com/lambda/pricing).",
  },
  apiGateway: {
    /** HTTP APIs, first 300 million requests per month (then $0.90 per million). */
    httpRequestsPerMillion: 1.0,
    source:
      "api-evangelist/amazon-web-services plans pricing, read 2026-09-20 from aws.amazon.com/api-gateway/pricing/ worked examples: 'HTTP APIs (first 300 million requests/month): $1.00/million', over 300 million $0.90/million.",
  },
  cloudFront: {
    /** HTTPS requests, United States/Mexico/Canada and Europe (PriceClass_100's edges): $0.0100 per 10,000. */
    httpsRequestsPer10k: 0.01,
    /** Data transfer out to the internet, United States/Mexico/Canada, first 10 TB per month. */
    transferPerGb: 0.085,
    source:
      "searched 2026-11-24 with this project's `search` tool. Transfer: aws.amazon.com/cloudfront/pricing (stored copy: 'Regional Data Transfer Out to Internet (per GB) ... United States, Mexico, and Canada ... First 10TB $0.085'). Requests: that stored copy's request table is cut off, so from kindatechnical.com lesson-87-cloudfront-pricing ('HTTPS Requests $0.0100' per 10,000) and factualminds.com amazon-cloudfront-pricing ('$0.0075–$0.0100 per 10K requests'). Origin Shield's own request charge was not found in the stored material: at ~1 request/s it is negligible at any per-10,000 price of that order. Free tier (10 M requests, 1 TB per month) not deducted.",
  },
  cloudWatchLogs: {
    /** Standard log class ingestion, per GB (the first 5 GB a month free, not deducted). */
    ingestionPerGb: 0.5,
    source:
      "searched 2026-12-06 with this project's `search` tool: c3x.dev/blog/cloudwatch-logs-cost-optimization ('us-east-1, June 2026 ... Standard log class Ingestion: $0.50 per GB') and hykell.com aws-cloudwatch-logs-pricing ('In standard regions like US East (N. Virginia), AWS charges $0.50 per GB'). AWS's own page not in the stored material.",
  },
  cognito: {
    /** Monthly active users free per account on the Lite and Essentials plans. */
    freeMaus: 10_000,
    /** Lite plan, per MAU above the free ones, by band (up to the MAU count given). */
    litePerMau: [
      { upTo: 100_000, usd: 0.0055 },
      { upTo: 1_000_000, usd: 0.0046 },
      { upTo: 10_000_000, usd: 0.00325 },
      { upTo: Number.POSITIVE_INFINITY, usd: 0.0025 },
    ],
    /** Essentials (the default plan of a new user pool), per MAU above the free ones. */
    essentialsPerMau: 0.015,
    source:
      "NOT found in the stored material (searched 2026-12-06: aws.amazon.com/cognito/pricing is stored only in Japanese and German without the rate table; c3x.dev and awsnegotiations.com name the Lite/Essentials/Plus plans and the 10,000 free MAUs but not the rates). The rates here are AWS's published plan rates as of the November 2024 plans (Lite $0.0055 / $0.0046 / $0.00325 / $0.0025 per MAU by band, Essentials $0.015), from memory: CHECK them on aws.amazon.com/cognito/pricing before relying on this line. Sign-ins themselves are not billed (only MAUs); a sign-in rate above the UserAuthentication quota needs a quota increase, which is billed separately and not modelled.",
  },
} as const;
