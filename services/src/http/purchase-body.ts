import * as v from "valibot";
import { IdempotencyKeySchema, objectOf, QuantitySchema, SkuSchema } from "../domain/validation";

/** API Gateway would accept far more; a purchase body is a few dozen bytes. */
export const MAX_BODY_BYTES = 4 * 1024;

export interface PurchaseBody {
  sku: string;
  quantity: number;
  idempotencyKey: string;
  admissionPass?: string;
}

const FIELDS = ["sku", "quantity", "idempotencyKey", "admissionPass"];
const NOT_AN_OBJECT = "body must be a JSON object";
const unknownFields = (body: object) => Object.keys(body).filter((field) => !FIELDS.includes(field));

/** Opaque to the client; checked (signature, shopper, sku, expiry) by the waiting room. */
const ADMISSION_PASS_MESSAGE = "admissionPass must be the non-empty string GET /admission/{sku} gave you";
const AdmissionPassSchema = v.pipe(
  v.string(ADMISSION_PASS_MESSAGE),
  v.minLength(1, ADMISSION_PASS_MESSAGE),
  v.maxLength(1_024, ADMISSION_PASS_MESSAGE),
);

/** A parsed POST /purchases body: a plain object, no unknown field, then each field in order. */
const PurchaseBodySchema = v.pipe(
  v.custom<Record<string, unknown>>(
    (input) => typeof input === "object" && input !== null && !Array.isArray(input),
    NOT_AN_OBJECT,
  ),
  v.check(
    (body) => unknownFields(body).length === 0,
    (issue) =>
      `unknown field(s): ${unknownFields(issue.input).join(", ")}; allowed: sku, quantity, idempotencyKey, admissionPass`,
  ),
  objectOf(
    {
      sku: SkuSchema,
      quantity: QuantitySchema,
      idempotencyKey: IdempotencyKeySchema,
      admissionPass: v.optional(AdmissionPassSchema),
    },
    NOT_AN_OBJECT,
  ),
);

/** Parses a POST /purchases body; returns the first problem in words a client developer can act on. */
export function parsePurchaseBody(
  raw: string | undefined,
  isBase64Encoded = false,
): { ok: true; body: PurchaseBody } | { ok: false; problem: string; tooLarge?: boolean } {
  if (raw === undefined || raw === "")
    return { ok: false, problem: 'body is required: {"sku", "quantity", "idempotencyKey"}' };
  const text = isBase64Encoded ? Buffer.from(raw, "base64").toString("utf8") : raw;
  if (Buffer.byteLength(text, "utf8") > MAX_BODY_BYTES)
    return { ok: false, problem: `body must be at most ${MAX_BODY_BYTES} bytes`, tooLarge: true };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { ok: false, problem: "body is not valid JSON" };
  }
  const result = v.safeParse(PurchaseBodySchema, parsed, { abortEarly: true });
  if (!result.success) return { ok: false, problem: result.issues[0].message };
  const { sku, quantity, idempotencyKey, admissionPass } = result.output;
  const body: PurchaseBody = { sku, quantity, idempotencyKey };
  return { ok: true, body: admissionPass === undefined ? body : { ...body, admissionPass } };
}
