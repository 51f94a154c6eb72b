import { readFileSync } from "node:fs";
import * as v from "valibot";
import { MAX_SHARDS, type NewProduct } from "../store/merchandising";
import { MAX_ADMISSION_RATE } from "../domain/admission";
import { MAX_HOLD_SECONDS, MIN_HOLD_SECONDS } from "../domain/types";
import { MAX_QUANTITY, problemOf, SKU_PATTERN, SkuSchema } from "../domain/validation";

/** The most units one product may hold; far above any sale, low enough to stay an exact integer sum. */
export const MAX_UNITS = 10_000_000;

/** A string with something in it, at most `max` characters. */
function textSchema(max: number) {
  const message = `must be a non-empty string of at most ${max} characters`;
  return v.pipe(
    v.string(message),
    v.check((value) => value.trim() !== "", message),
    v.maxLength(max, message),
  );
}

/** A whole number from `min` to `max`. */
function wholeNumberSchema(min: number, max: number) {
  const message = `must be a whole number from ${min} to ${max}`;
  return v.pipe(v.number(message), v.integer(message), v.minValue(min, message), v.maxValue(max, message));
}

const INSTANT_MESSAGE = "must be an ISO-8601 instant with a time zone, e.g. 2026-12-01T09:00:00Z";
const INSTANT_PATTERN = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d)(?::(\d\d)(?:\.\d+)?)?(?:Z|[+-](\d\d):(\d\d))$/;

/** A calendar date and clock time that exist: Date.parse rolls 30 February over to 2 March, this does not. */
function isRealInstant(value: string): boolean {
  const match = INSTANT_PATTERN.exec(value);
  if (!match) return false;
  const [year, month, day, hour, minute, second = "0", offsetHours = "0", offsetMinutes = "0"] = match
    .slice(1)
    .map((part) => part ?? "0");
  const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  return (
    date.getUTCFullYear() === Number(year) &&
    date.getUTCMonth() === Number(month) - 1 &&
    date.getUTCDate() === Number(day) &&
    Number(hour) <= 23 &&
    Number(minute) <= 59 &&
    Number(second) <= 59 &&
    Number(offsetHours) <= 23 &&
    Number(offsetMinutes) <= 59 &&
    !Number.isNaN(Date.parse(value))
  );
}
const InstantSchema = v.pipe(v.string(INSTANT_MESSAGE), v.check(isRealInstant, INSTANT_MESSAGE));

const ADMISSION_RATE_MESSAGE = `must be a number of shoppers per second above 0 and at most ${MAX_ADMISSION_RATE}`;
const AdmissionRateSchema = v.pipe(
  v.number(ADMISSION_RATE_MESSAGE),
  v.finite(ADMISSION_RATE_MESSAGE),
  v.gtValue(0, ADMISSION_RATE_MESSAGE),
  v.maxValue(MAX_ADMISSION_RATE, ADMISSION_RATE_MESSAGE),
);

const PRICE_MESSAGE = "must be a whole number of cents, 0 or more";
const IMAGE_URL_MESSAGE =
  "must be an https:// URL with a host, or a path the storefront serves starting with a single / (e.g. /images/a.svg)";

/**
 * An image the storefront may show: https on a named host, or a path on the storefront's own origin. Not
 * `//host/…` (protocol-relative: another site), `/\\host` (browsers read it the same), `http:` or spaces.
 */
function isImageUrl(value: string): boolean {
  if (/\s|\\/.test(value)) return false;
  if (value.startsWith("/")) return value.length > 1 && !value.startsWith("//");
  // The host as written (URL would read "https:///a.png" as host a.png), and no user:password@ part.
  if (!/^https:\/\/[A-Za-z0-9.-]+(:\d+)?([/?#]|$)/.test(value)) return false;
  try {
    const url = new URL(value);
    return url.protocol === "https:" && url.hostname !== "" && url.username === "" && url.password === "";
  } catch {
    return false;
  }
}
const CURRENCY_MESSAGE = "must be an ISO 4217 code such as EUR or USD";

/** Each catalog field's rule; a problem reads "<field> <message>". */
const FIELDS: Record<keyof NewProduct, v.GenericSchema> = {
  sku: SkuSchema,
  name: textSchema(200),
  // Non-empty: DynamoDB Local (the 2020 engine) refuses empty strings, and a product deserves a line of text.
  description: textSchema(2_000),
  imageUrl: v.pipe(v.string(IMAGE_URL_MESSAGE), v.check(isImageUrl, IMAGE_URL_MESSAGE)),
  priceCents: v.pipe(v.number(PRICE_MESSAGE), v.safeInteger(PRICE_MESSAGE), v.minValue(0, PRICE_MESSAGE)),
  currency: v.pipe(v.string(CURRENCY_MESSAGE), v.regex(/^[A-Z]{3}$/, CURRENCY_MESSAGE)),
  saleStartsAt: InstantSchema,
  saleEndsAt: InstantSchema,
  perCustomerLimit: wholeNumberSchema(1, MAX_QUANTITY),
  shardCount: wholeNumberSchema(1, MAX_SHARDS),
  units: wholeNumberSchema(0, MAX_UNITS),
  waitingRoom: v.boolean("must be true or false"),
  admissionRate: AdmissionRateSchema,
  checkout: v.picklist(
    ["instant", "payment"],
    'must be "instant" (confirmed at once) or "payment" (held while the shopper pays)',
  ),
  holdSeconds: wholeNumberSchema(MIN_HOLD_SECONDS, MAX_HOLD_SECONDS),
};

/** Fields a product may leave out: no waiting room, the admission rate its shards can sell, instant checkout, a 300 s hold. */
const OPTIONAL = new Set<string>(["waitingRoom", "admissionRate", "checkout", "holdSeconds"]);

export function admissionRateProblem(value: unknown): string | undefined {
  return problemOf(AdmissionRateSchema, value);
}

export interface CatalogFile {
  products: NewProduct[];
  problems: string[];
}

/**
 * Reads and checks a whole catalog file before anything is written: a JSON array of products (or
 * `{"products": [...]}`). Every problem names the file, the product and the field.
 */
export function readCatalogFile(path: string): CatalogFile {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    return {
      products: [],
      problems: [
        `${path}: cannot read the file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
      ],
    };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return { products: [], problems: [`${path}: not valid JSON (${(error as Error).message})`] };
  }
  // `{"products": [...]}` with that one own key: no other name, inherited or not, is read.
  const wrapped =
    typeof parsed === "object" &&
    parsed !== null &&
    !Array.isArray(parsed) &&
    Reflect.ownKeys(parsed).join() === "products";
  const list = Array.isArray(parsed) ? parsed : wrapped ? (parsed as { products: unknown }).products : undefined;
  if (!Array.isArray(list))
    return { products: [], problems: [`${path}: expected a JSON array of products or {"products": [...]}`] };
  return checkProducts(path, list);
}

/**
 * Checks a list of products by the catalog's one schema, wherever they come from (a catalog file, the demo
 * catalog, perf's sales). Only a product's own fields count, each against the allow-list: inherited names
 * (`__proto__`, `constructor`, `toString`, …) are unknown fields, and what is kept is a fresh object holding
 * the allow-listed fields alone. Every product of a catalog has one currency (the shop's).
 */
export function checkProducts(path: string, list: unknown[]): CatalogFile {
  const problems: string[] = [];
  const products: NewProduct[] = [];
  const seen = new Map<string, number>();
  let firstCurrency: { currency: string; where: string } | undefined;
  list.forEach((entry, index) => {
    const where = (sku: unknown) =>
      `${path}: product #${index + 1}${typeof sku === "string" && SKU_PATTERN.test(sku) ? ` (${sku})` : ""}`;
    if (typeof entry !== "object" || entry === null || Array.isArray(entry)) {
      problems.push(`${where(undefined)}: must be an object`);
      return;
    }
    const own = (field: string) =>
      Object.hasOwn(entry, field) ? (entry as Record<string, unknown>)[field] : undefined;
    const sku = own("sku");
    const before = problems.length;
    const product: Record<string, unknown> = {};
    for (const [field, schema] of Object.entries(FIELDS)) {
      if (!Object.hasOwn(entry, field)) {
        if (!OPTIONAL.has(field)) problems.push(`${where(sku)}: ${field} is missing`);
        continue;
      }
      const problem = problemOf(schema, own(field));
      if (problem) problems.push(`${where(sku)}: ${field} ${problem.replace(/^sku /, "")}`);
      else product[field] = own(field);
    }
    for (const field of Reflect.ownKeys(entry))
      if (typeof field !== "string" || !Object.hasOwn(FIELDS, field))
        problems.push(`${where(sku)}: unknown field ${String(field)}`);
    const { saleStartsAt, saleEndsAt, currency } = product;
    if (
      typeof saleStartsAt === "string" &&
      typeof saleEndsAt === "string" &&
      Date.parse(saleEndsAt) <= Date.parse(saleStartsAt)
    )
      problems.push(`${where(sku)}: saleEndsAt must be after saleStartsAt`);
    if (own("holdSeconds") !== undefined && own("checkout") !== "payment")
      problems.push(`${where(sku)}: holdSeconds applies only to checkout "payment"`);
    if (typeof currency === "string") {
      if (!firstCurrency) firstCurrency = { currency, where: where(sku) };
      else if (currency !== firstCurrency.currency)
        problems.push(
          `${where(sku)}: currency ${currency} differs from ${firstCurrency.currency} of ${firstCurrency.where.slice(path.length + 2)}: a sale sells in one currency`,
        );
    }
    if (typeof product.sku === "string") {
      const first = seen.get(product.sku);
      if (first !== undefined)
        problems.push(`${where(sku)}: sku ${product.sku} already appears as product #${first + 1}`);
      else seen.set(product.sku, index);
    }
    if (problems.length === before) products.push(product as unknown as NewProduct);
  });
  return { products, problems };
}

/** Throws one error listing every problem (nothing is written): for catalogs made in code, e.g. the demo's or perf's. */
export function assertCatalog(source: string, products: readonly unknown[]): NewProduct[] {
  const checked = checkProducts(source, [...products]);
  if (checked.problems.length > 0)
    throw new Error(`${checked.problems.length} problem(s), nothing written:\n  ${checked.problems.join("\n  ")}`);
  return checked.products;
}

/**
 * One currency per shop: what the products already in the table sell in. A load whose products would leave
 * the table with two currencies is refused, naming the product and a product already loaded in the other.
 */
export function currencyProblems(
  existing: ReadonlyMap<string, Record<string, unknown>>,
  products: readonly NewProduct[],
  source: string,
): string[] {
  const incoming = new Set(products.map((product) => product.sku));
  const loaded = [...existing.values()].filter((item) => !incoming.has(String(item.sku)));
  const problems: string[] = [];
  for (const product of products) {
    const other = loaded.find((item) => item.currency !== product.currency);
    if (other)
      problems.push(
        `${source}: ${product.sku}: currency ${product.currency} differs from ${String(other.currency)} of ${String(other.sku)}, already in the table: a shop sells in one currency`,
      );
  }
  return problems;
}
