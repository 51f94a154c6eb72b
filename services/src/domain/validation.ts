/**
 * Input rules shared by the HTTP layer, the domain and the merchandiser CLI, as valibot schemas (one schema
 * library for every outside input). Each rule carries the words a client developer can act on.
 */
import * as v from "valibot";

export const SKU_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
/** A client-made UUID, or any similar opaque token of safe characters. */
export const IDEMPOTENCY_KEY_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{7,63}$/;
/** No product allows more than this per shopper; larger quantities are rejected before any read. */
export const MAX_QUANTITY = 100;

/** The first problem `schema` finds in `input`, in its own words; undefined when the input is valid. */
export function problemOf(schema: v.GenericSchema, input: unknown): string | undefined {
  const result = v.safeParse(schema, input, { abortEarly: true });
  return result.success ? undefined : result.issues[0].message;
}

/**
 * An object schema whose missing key reads like that field's own problem ("sku must be a string"), not
 * valibot's generic "invalid key"; `notAnObject` names a value that is no object at all.
 */
export function objectOf<const TEntries extends v.ObjectEntries>(entries: TEntries, notAnObject: string) {
  return v.object(entries, (issue) => {
    const key = issue.path?.[0]?.key;
    const entry = typeof key === "string" ? entries[key] : undefined;
    return (entry && problemOf(entry, undefined)) ?? notAnObject;
  });
}

export function skuSchema(field = "sku") {
  return v.pipe(
    v.string(`${field} must be a string`),
    v.regex(SKU_PATTERN, `${field} must be 1-64 letters, digits, '-' or '_', starting with a letter or digit`),
  );
}
export const SkuSchema = skuSchema();

export function quantitySchema(max = MAX_QUANTITY) {
  const message = `quantity must be a whole number from 1 to ${max}`;
  return v.pipe(v.number(message), v.integer(message), v.minValue(1, message), v.maxValue(max, message));
}
export const QuantitySchema = quantitySchema();

const IDEMPOTENCY_KEY_MESSAGE =
  "idempotencyKey must be 8-64 letters, digits, '-' or '_' (a UUID made once per purchase intent)";
export const IdempotencyKeySchema = v.pipe(
  v.string(IDEMPOTENCY_KEY_MESSAGE),
  v.regex(IDEMPOTENCY_KEY_PATTERN, IDEMPOTENCY_KEY_MESSAGE),
);

const SHOPPER_MESSAGE = "shopper must be a non-empty id";
export const ShopperSchema = v.pipe(
  v.string(SHOPPER_MESSAGE),
  v.minLength(1, SHOPPER_MESSAGE),
  v.maxLength(128, SHOPPER_MESSAGE),
);

/** A purchase request's fields, checked in this order before anything is read. */
export const PurchaseRequestSchema = objectOf(
  { shopper: ShopperSchema, sku: SkuSchema, quantity: QuantitySchema, idempotencyKey: IdempotencyKeySchema },
  "a purchase request must be an object",
);

export function skuProblem(sku: unknown, field = "sku"): string | undefined {
  return problemOf(field === "sku" ? SkuSchema : skuSchema(field), sku);
}

export function idempotencyKeyProblem(key: unknown): string | undefined {
  return problemOf(IdempotencyKeySchema, key);
}

/** The first problem of a purchase request's fields, before anything is read. */
export function purchaseRequestProblem(request: {
  shopper: unknown;
  sku: unknown;
  quantity: unknown;
  idempotencyKey: unknown;
}): string | undefined {
  return problemOf(PurchaseRequestSchema, request);
}
