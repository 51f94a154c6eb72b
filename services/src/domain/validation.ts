/** Input rules shared by the HTTP layer, the domain and the merchandiser CLI. */

export const SKU_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
/** A client-made UUID, or any similar opaque token of safe characters. */
export const IDEMPOTENCY_KEY_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{7,63}$/;
/** No product allows more than this per shopper; larger quantities are rejected before any read. */
export const MAX_QUANTITY = 100;

export type Problems = string[];

export function skuProblem(sku: unknown, field = "sku"): string | undefined {
  if (typeof sku !== "string") return `${field} must be a string`;
  if (!SKU_PATTERN.test(sku))
    return `${field} must be 1-64 letters, digits, '-' or '_', starting with a letter or digit`;
  return undefined;
}

export function quantityProblem(quantity: unknown, max = MAX_QUANTITY): string | undefined {
  if (typeof quantity !== "number" || !Number.isInteger(quantity) || quantity < 1 || quantity > max) {
    return `quantity must be a whole number from 1 to ${max}`;
  }
  return undefined;
}

export function idempotencyKeyProblem(key: unknown): string | undefined {
  if (typeof key !== "string" || !IDEMPOTENCY_KEY_PATTERN.test(key)) {
    return "idempotencyKey must be 8-64 letters, digits, '-' or '_' (a UUID made once per purchase intent)";
  }
  return undefined;
}

export function shopperProblem(shopper: unknown): string | undefined {
  if (typeof shopper !== "string" || shopper.length === 0 || shopper.length > 128)
    return "shopper must be a non-empty id";
  return undefined;
}

/** The first problem of a purchase request's fields, before anything is read. */
export function purchaseRequestProblem(request: {
  shopper: unknown;
  sku: unknown;
  quantity: unknown;
  idempotencyKey: unknown;
}): string | undefined {
  return (
    shopperProblem(request.shopper) ??
    skuProblem(request.sku) ??
    quantityProblem(request.quantity) ??
    idempotencyKeyProblem(request.idempotencyKey)
  );
}
