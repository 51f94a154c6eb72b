import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { demoCatalog } from "../src/demo-catalog";

/** Where the storefront serves `/images/…` from. */
const PUBLIC = join(__dirname, "..", "..", "..", "web", "public");

/**
 * Words that belong in a developer's notes, not in a shop: how the demo or the platform works (shards,
 * the waiting room's draw, queues), or that this is a demo or a test at all.
 */
const DEVELOPER_WORDING =
  /\b(demo|test(ing)?|shards?|sku|waiting room|draw(n)?|queue|line|lorem|placeholder|todo|click|join)\b/i;

describe("the demo catalog", () => {
  const products = demoCatalog(Date.parse("2030-01-01T10:00:00.000Z"));

  it("has a picture file in web/public for every product", () => {
    for (const product of products) {
      expect(product.imageUrl).toMatch(/^\/images\/[\w-]+\.svg$/);
      expect({ sku: product.sku, exists: existsSync(join(PUBLIC, product.imageUrl!)) }).toEqual({
        sku: product.sku,
        exists: true,
      });
    }
  });

  it("names each picture after its product, so a picture is not shared by two products", () => {
    for (const product of products) {
      const svg = readFileSync(join(PUBLIC, product.imageUrl!), "utf8");
      expect(svg).toContain(`aria-label="${product.name}"`);
    }
    expect(new Set(products.map((product) => product.imageUrl)).size).toBe(products.length);
  });

  it("reads as a shop's copy: no developer wording in a name or description", () => {
    for (const product of products) {
      expect({
        sku: product.sku,
        said: `${product.name} ${product.description}`.match(DEVELOPER_WORDING)?.[0],
      }).toEqual({
        sku: product.sku,
        said: undefined,
      });
    }
  });

  it("describes each product (what it is made of or like), in a sentence or two", () => {
    for (const product of products) {
      expect(product.description.length).toBeGreaterThanOrEqual(40);
      expect(product.description.length).toBeLessThanOrEqual(200);
      expect(product.description).toMatch(/\.$/);
    }
  });
});
