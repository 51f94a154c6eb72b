import { originShieldRegionFor, publicCachedPathPatterns } from "../src/edge/public-routes";
import { routes } from "@flash-sale/services/routes";

test("only public GET rows get a cached path under /api/, with path parameters as *", () => {
  const patterns = publicCachedPathPatterns([
    { method: "GET", path: "/availability", auth: false },
    { method: "GET", path: "/stock/{sku}", auth: false },
    { method: "POST", path: "/signals", auth: false },
    { method: "GET", path: "/products", auth: true },
  ]);

  expect(patterns).toEqual(["/api/availability", "/api/stock/*"]);
});

test("the shield sits in the API's own region when it has one, else in a nearby one; an unknown region stops the deployment", () => {
  expect(originShieldRegionFor("eu-west-1")).toBe("eu-west-1");
  expect(originShieldRegionFor("eu-north-1")).toBe("eu-central-1");
  expect(() => originShieldRegionFor("xx-nowhere-9")).toThrow("no Origin Shield region is known for xx-nowhere-9");
});

test("the real route table caches both public reads at the edge (the feed and the visitors' catalog), never the webhook", () => {
  const patterns = publicCachedPathPatterns(routes);

  expect(patterns).toEqual(["/api/availability", "/api/catalog"]);
});
