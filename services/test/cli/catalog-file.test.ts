import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { checkProducts, readCatalogFile } from "../../src/cli/catalog-file";
import { aProduct } from "../support/shop";

/** The problems `checkProducts` finds in one product made of `aProduct()` with `changes`. */
function problemsWith(changes: Record<string, unknown>): string[] {
  return checkProducts("catalog.json", [{ ...aProduct({ sku: "cat-1" }), ...changes }]).problems;
}

test("a complete product passes, with the optional waiting-room fields or without them", () => {
  // prepare / act
  const plain = checkProducts("catalog.json", [aProduct({ sku: "cat-plain" })]);
  const room = checkProducts("catalog.json", [aProduct({ sku: "cat-room", waitingRoom: true, admissionRate: 2.5 })]);

  // assess
  expect(plain.problems).toEqual([]);
  expect(plain.products.map((product) => product.sku)).toEqual(["cat-plain"]);
  expect(room.problems).toEqual([]);
});

test.each([
  ["sku", "bad sku!", "sku must be 1-64 letters, digits, '-' or '_', starting with a letter or digit"],
  ["name", "   ", "name must be a non-empty string of at most 200 characters"],
  ["name", "x".repeat(201), "name must be a non-empty string of at most 200 characters"],
  ["description", 7, "description must be a non-empty string of at most 2000 characters"],
  ["imageUrl", "http://example.com/a.png", "imageUrl must be an https:// URL with a host, or a path"],
  ["priceCents", 12.5, "priceCents must be a whole number of cents, 0 or more"],
  ["priceCents", -1, "priceCents must be a whole number of cents, 0 or more"],
  ["priceCents", 2 ** 53, "priceCents must be a whole number of cents, 0 or more"],
  ["currency", "eur", "currency must be an ISO 4217 code such as EUR or USD"],
  ["saleStartsAt", "2026-12-01T09:00:00", "saleStartsAt must be an ISO-8601 instant with a time zone"],
  ["saleEndsAt", "2026-13-45T09:00:00Z", "saleEndsAt must be an ISO-8601 instant with a time zone"],
  ["perCustomerLimit", 0, "perCustomerLimit must be a whole number from 1 to 100"],
  ["shardCount", 65, "shardCount must be a whole number from 1 to 64"],
  ["units", "10", "units must be a whole number from 0 to 10000000"],
  ["waitingRoom", "yes", "waitingRoom must be true or false"],
  ["admissionRate", 0, "admissionRate must be a number of shoppers per second above 0 and at most 100000"],
  ["admissionRate", Number.POSITIVE_INFINITY, "admissionRate must be a number of shoppers per second above 0"],
])("%s %p is refused, naming the file, the product and the field", (field, value, message) => {
  // act
  const problems = problemsWith({ [field]: value });

  // assess
  expect(problems).toHaveLength(1);
  expect(problems[0]).toMatch(/^catalog\.json: product #1/);
  expect(problems[0]).toContain(message);
});

test("a missing required field is named, a missing optional one is not", () => {
  // prepare
  const { name: _name, ...withoutName } = aProduct({ sku: "cat-2" });

  // act
  const { problems, products } = checkProducts("catalog.json", [withoutName]);

  // assess
  expect(problems).toEqual(["catalog.json: product #1 (cat-2): name is missing"]);
  expect(products).toEqual([]);
});

test("a product with any problem is left out; the others are kept", () => {
  // act
  const { problems, products } = checkProducts("catalog.json", [
    aProduct({ sku: "cat-good" }),
    { ...aProduct({ sku: "cat-bad" }), currency: "euro" },
  ]);

  // assess
  expect(products.map((product) => product.sku)).toEqual(["cat-good"]);
  expect(problems).toEqual([
    "catalog.json: product #2 (cat-bad): currency must be an ISO 4217 code such as EUR or USD",
  ]);
});

describe("dates that exist", () => {
  test.each([
    ["30 February", "2027-02-30T09:00:00Z"],
    ["29 February of a common year", "2027-02-29T09:00:00Z"],
    ["31 April", "2027-04-31T09:00:00Z"],
    ["hour 24", "2027-03-01T24:00:00Z"],
    ["minute 60", "2027-03-01T09:60:00Z"],
    ["an offset of 25 hours", "2027-03-01T09:00:00+25:00"],
  ])("a sale starting on %s is refused", (_name, saleStartsAt) => {
    // act
    const problems = problemsWith({ saleStartsAt, saleEndsAt: "2027-06-01T09:00:00Z" });

    // assess
    expect(problems).toEqual([
      expect.stringMatching(/^catalog\.json: product #1 \(cat-1\): saleStartsAt must be an ISO-8601 instant/),
    ]);
  });

  test("29 February of a leap year, with seconds, fractions and an offset, is a date", () => {
    expect(problemsWith({ saleStartsAt: "2028-02-29T23:59:59.5+01:00", saleEndsAt: "2028-03-01T09:00:00Z" })).toEqual(
      [],
    );
  });
});

describe("image URLs the storefront may show", () => {
  test.each([
    ["a protocol-relative URL (another host)", "//other-host/a.png"],
    ["a backslash path browsers read as another host", "/\\other-host/a.png"],
    ["plain http", "http://example.com/a.png"],
    ["https without a host", "https:///a.png"],
    ["credentials in the URL", "https://user:secret@example.com/a.png"],
    ["a javascript: URL", "javascript:alert(1)"],
    ["a bare slash", "/"],
  ])("%s is refused", (_name, imageUrl) => {
    expect(problemsWith({ imageUrl })).toEqual([
      expect.stringContaining("catalog.json: product #1 (cat-1): imageUrl must be an https:// URL with a host"),
    ]);
  });

  test.each([["https://cdn.example.com/a.png?v=2"], ["/images/demo-hoodie.svg"]])("%s is accepted", (imageUrl) => {
    expect(problemsWith({ imageUrl })).toEqual([]);
  });
});

describe("only the schema's own names", () => {
  test.each([["__proto__"], ["constructor"], ["toString"], ["hasOwnProperty"], ["valueOf"]])(
    "a product with a %s key (as JSON.parse makes it) is refused, naming it and the product",
    (name) => {
      // prepare: the key as a catalog file carries it, an own property of the parsed object
      const entry = JSON.parse(JSON.stringify(aProduct({ sku: "cat-own" })).replace(/^\{/, `{"${name}": {"x": 1},`));

      // act
      const { problems, products } = checkProducts("catalog.json", [entry]);

      // assess
      expect(problems).toEqual([`catalog.json: product #1 (cat-own): unknown field ${name}`]);
      expect(products).toEqual([]);
    },
  );

  test("a field inherited from a prototype does not count as given", () => {
    // prepare
    const { name, ...rest } = aProduct({ sku: "cat-inherit" });
    const entry = Object.assign(Object.create({ name }), rest);

    // act
    const { problems } = checkProducts("catalog.json", [entry]);

    // assess
    expect(problems).toEqual(["catalog.json: product #1 (cat-inherit): name is missing"]);
  });

  test("a product kept is a fresh object of the allowed fields, and nothing global is touched", () => {
    // prepare
    const entry = JSON.parse(JSON.stringify(aProduct({ sku: "cat-fresh" })));

    // act
    const { products } = checkProducts("catalog.json", [entry]);

    // assess
    expect(products[0]).not.toBe(entry);
    expect(products[0]).toEqual(entry);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });
});

test("a catalog mixing currencies is refused, naming both products and both currencies", () => {
  // act
  const { problems, products } = checkProducts("catalog.json", [
    aProduct({ sku: "cat-eur", currency: "EUR" }),
    aProduct({ sku: "cat-eur2", currency: "EUR" }),
    aProduct({ sku: "cat-usd", currency: "USD" }),
  ]);

  // assess
  expect(problems).toEqual([
    "catalog.json: product #3 (cat-usd): currency USD differs from EUR of product #1 (cat-eur): a sale sells in one currency",
  ]);
  expect(products.map((product) => product.sku)).toEqual(["cat-eur", "cat-eur2"]);
});

describe("the file's own shape", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "catalog-file-"));
  });

  test.each([
    ["an extra key beside products", (products: unknown) => ({ products, version: 2 })],
    [
      "an inherited name beside products",
      (products: unknown) => JSON.parse(`{"__proto__": {}, "products": ${JSON.stringify(products)}}`),
    ],
  ])('{"products": [...]} with %s is refused', (_name, wrap) => {
    // prepare
    const path = join(dir, `${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(path, JSON.stringify(wrap([aProduct({ sku: "cat-wrapped" })])));

    // act
    const { problems, products } = readCatalogFile(path);

    // assess
    expect(problems).toEqual([`${path}: expected a JSON array of products or {"products": [...]}`]);
    expect(products).toEqual([]);
  });

  test('{"products": [...]} alone is read', () => {
    const path = join(dir, "wrapped.json");
    writeFileSync(path, JSON.stringify({ products: [aProduct({ sku: "cat-wrapped" })] }));

    expect(readCatalogFile(path)).toMatchObject({ problems: [], products: [{ sku: "cat-wrapped" }] });
  });
});
