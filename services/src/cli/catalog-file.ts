import { readFileSync } from "node:fs";
import { MAX_SHARDS, type NewProduct } from "../store/merchandising";
import { MAX_ADMISSION_RATE } from "../domain/admission";
import { MAX_QUANTITY, skuProblem } from "../domain/validation";

/** The most units one product may hold; far above any sale, low enough to stay an exact integer sum. */
export const MAX_UNITS = 10_000_000;

const FIELDS: Record<keyof NewProduct, (value: unknown) => string | undefined> = {
  sku: (value) => skuProblem(value),
  name: (value) =>
    typeof value === "string" && value.trim() !== "" && value.length <= 200
      ? undefined
      : "must be a non-empty string of at most 200 characters",
  // Non-empty: DynamoDB Local (the 2020 engine) refuses empty strings, and a product deserves a line of text.
  description: (value) =>
    typeof value === "string" && value.trim() !== "" && value.length <= 2_000
      ? undefined
      : "must be a non-empty string of at most 2000 characters",
  imageUrl: (value) =>
    typeof value === "string" && /^(https:\/\/|\/)\S+$/.test(value)
      ? undefined
      : "must be an https:// URL or a path starting with /",
  priceCents: (value) =>
    Number.isSafeInteger(value) && (value as number) >= 0 ? undefined : "must be a whole number of cents, 0 or more",
  currency: (value) =>
    typeof value === "string" && /^[A-Z]{3}$/.test(value) ? undefined : "must be an ISO 4217 code such as EUR or USD",
  saleStartsAt: isoInstant,
  saleEndsAt: isoInstant,
  perCustomerLimit: (value) =>
    Number.isInteger(value) && (value as number) >= 1 && (value as number) <= MAX_QUANTITY
      ? undefined
      : `must be a whole number from 1 to ${MAX_QUANTITY}`,
  shardCount: (value) =>
    Number.isInteger(value) && (value as number) >= 1 && (value as number) <= MAX_SHARDS
      ? undefined
      : `must be a whole number from 1 to ${MAX_SHARDS}`,
  units: (value) =>
    Number.isInteger(value) && (value as number) >= 0 && (value as number) <= MAX_UNITS
      ? undefined
      : `must be a whole number from 0 to ${MAX_UNITS}`,
  waitingRoom: (value) => (typeof value === "boolean" ? undefined : "must be true or false"),
  admissionRate: admissionRateProblem,
};

/** Fields a product may leave out: no waiting room, and the admission rate its shards can sell. */
const OPTIONAL = new Set<string>(["waitingRoom", "admissionRate"]);

export function admissionRateProblem(value: unknown): string | undefined {
  return typeof value === "number" && Number.isFinite(value) && value > 0 && value <= MAX_ADMISSION_RATE
    ? undefined
    : `must be a number of shoppers per second above 0 and at most ${MAX_ADMISSION_RATE}`;
}

function isoInstant(value: unknown): string | undefined {
  return typeof value === "string" &&
    /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$/.test(value) &&
    !Number.isNaN(Date.parse(value))
    ? undefined
    : "must be an ISO-8601 instant with a time zone, e.g. 2026-12-01T09:00:00Z";
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
    for (const [field, check] of Object.entries(FIELDS)) {
      if (!(field in record)) {
        if (!OPTIONAL.has(field)) problems.push(`${where(record.sku)}: ${field} is missing`);
      } else {
        const problem = check(record[field]);
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
