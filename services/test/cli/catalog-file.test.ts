import { checkProducts } from "../../src/cli/catalog-file";
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
  ["imageUrl", "http://example.com/a.png", "imageUrl must be an https:// URL or a path starting with /"],
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
