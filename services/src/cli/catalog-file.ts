import { readFileSync } from "node:fs";
import * as v from "valibot";
import { MAX_SHARDS, type NewProduct } from "../store/merchandising";
import { MAX_ADMISSION_RATE } from "../domain/admission";
import { MAX_HOLD_SECONDS, MIN_HOLD_SECONDS } from "../domain/types";
import { MAX_QUANTITY, problemOf, SkuSchema } from "../domain/validation";

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
const InstantSchema = v.pipe(
  v.string(INSTANT_MESSAGE),
  v.regex(/^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$/, INSTANT_MESSAGE),
  v.check((value) => !Number.isNaN(Date.parse(value)), INSTANT_MESSAGE),
);

const ADMISSION_RATE_MESSAGE = `must be a number of shoppers per second above 0 and at most ${MAX_ADMISSION_RATE}`;
const AdmissionRateSchema = v.pipe(
  v.number(ADMISSION_RATE_MESSAGE),
  v.finite(ADMISSION_RATE_MESSAGE),
  v.gtValue(0, ADMISSION_RATE_MESSAGE),
  v.maxValue(MAX_ADMISSION_RATE, ADMISSION_RATE_MESSAGE),
);

const PRICE_MESSAGE = "must be a whole number of cents, 0 or more";
const IMAGE_URL_MESSAGE = "must be an https:// URL or a path starting with /";
const CURRENCY_MESSAGE = "must be an ISO 4217 code such as EUR or USD";

/** Each catalog field's rule; a problem reads "<field> <message>". */
const FIELDS: Record<keyof NewProduct, v.GenericSchema> = {
  sku: SkuSchema,
  name: textSchema(200),
  // Non-empty: DynamoDB Local (the 2020 engine) refuses empty strings, and a product deserves a line of text.
  description: textSchema(2_000),
  imageUrl: v.pipe(v.string(IMAGE_URL_MESSAGE), v.regex(/^(https:\/\/|\/)\S+$/, IMAGE_URL_MESSAGE)),
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
  const list = Array.isArray(parsed) ? parsed : (parsed as { products?: unknown } | null)?.products;
  if (!Array.isArray(list))
    return { products: [], problems: [`${path}: expected a JSON array of products or {"products": [...]}`] };
  return checkProducts(path, list);
}

export function checkProducts(path: string, list: unknown[]): CatalogFile {
  const problems: string[] = [];
  const products: NewProduct[] = [];
  const seen = new Map<string, number>();
  list.forEach((entry, index) => {
    const where = (sku: unknown) =>
      `${path}: product #${index + 1}${typeof sku === "string" && sku ? ` (${sku})` : ""}`;
    if (typeof entry !== "object" || entry === null || Array.isArray(entry)) {
      problems.push(`${where(undefined)}: must be an object`);
      return;
    }
    const record = entry as Record<string, unknown>;
    const before = problems.length;
    for (const [field, schema] of Object.entries(FIELDS)) {
      if (!(field in record)) {
        if (!OPTIONAL.has(field)) problems.push(`${where(record.sku)}: ${field} is missing`);
      } else {
        const problem = problemOf(schema, record[field]);
        if (problem) problems.push(`${where(record.sku)}: ${field} ${problem.replace(/^sku /, "")}`);
      }
    }
    for (const field of Object.keys(record))
      if (!(field in FIELDS)) problems.push(`${where(record.sku)}: unknown field ${field}`);
    if (
      typeof record.saleStartsAt === "string" &&
      typeof record.saleEndsAt === "string" &&
      Date.parse(record.saleEndsAt) <= Date.parse(record.saleStartsAt)
    ) {
      problems.push(`${where(record.sku)}: saleEndsAt must be after saleStartsAt`);
    }
    if (record.holdSeconds !== undefined && record.checkout !== "payment")
      problems.push(`${where(record.sku)}: holdSeconds applies only to checkout "payment"`);
    if (typeof record.sku === "string") {
      const first = seen.get(record.sku);
      if (first !== undefined)
        problems.push(`${where(record.sku)}: sku ${record.sku} already appears as product #${first + 1}`);
      else seen.set(record.sku, index);
    }
    if (problems.length === before) products.push(record as unknown as NewProduct);
  });
  return { products, problems };
}
