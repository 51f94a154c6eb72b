import type { Route } from "@flash-sale/services/routes";

/**
 * The regions that host a CloudFront Origin Shield (Amazon CloudFront Developer Guide, "Using Origin Shield").
 * An API in one of them is shielded there; elsewhere, in the nearest one by geography (our choice: check AWS's
 * "Choosing the AWS Region for Origin Shield" table for a lower-latency pick).
 */
export const ORIGIN_SHIELD_REGIONS = [
  "us-east-1",
  "us-east-2",
  "us-west-2",
  "ap-south-1",
  "ap-northeast-1",
  "ap-northeast-2",
  "ap-southeast-1",
  "ap-southeast-2",
  "eu-central-1",
  "eu-west-1",
  "eu-west-2",
  "sa-east-1",
] as const;

const NEAREST_SHIELD: Record<string, string> = {
  "us-west-1": "us-west-2",
  "ca-central-1": "us-east-1",
  "ca-west-1": "us-west-2",
  "eu-west-3": "eu-west-2",
  "eu-north-1": "eu-central-1",
  "eu-south-1": "eu-central-1",
  "eu-south-2": "eu-west-1",
  "eu-central-2": "eu-central-1",
  "me-south-1": "ap-south-1",
  "me-central-1": "ap-south-1",
  "il-central-1": "eu-central-1",
  "af-south-1": "eu-west-1",
  "ap-east-1": "ap-southeast-1",
  "ap-south-2": "ap-south-1",
  "ap-northeast-3": "ap-northeast-1",
  "ap-southeast-3": "ap-southeast-1",
  "ap-southeast-4": "ap-southeast-2",
};

export function originShieldRegionFor(apiRegion: string): string {
  if ((ORIGIN_SHIELD_REGIONS as readonly string[]).includes(apiRegion)) return apiRegion;
  const nearest = NEAREST_SHIELD[apiRegion];
  if (!nearest)
    throw new Error(`no Origin Shield region is known for ${apiRegion}: add it to infra/src/edge/public-routes.ts`);
  return nearest;
}

/**
 * The CloudFront path patterns of the public GET routes, under the storefront's /api/ prefix: each gets a
 * cached behaviour ahead of the uncached /api/*. `{sku}` path parameters become `*`.
 */
export function publicCachedPathPatterns(routes: readonly Pick<Route, "method" | "path" | "auth">[]): string[] {
  return routes
    .filter((route) => !route.auth && route.method === "GET")
    .map((route) => `/api${route.path.replace(/\{[^}]+\}/g, "*")}`);
}
