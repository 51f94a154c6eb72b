import { idempotencyKeyProblem, quantityProblem, skuProblem } from "../domain/validation";

/** API Gateway would accept far more; a purchase body is a few dozen bytes. */
export const MAX_BODY_BYTES = 4 * 1024;

export interface PurchaseBody {
  sku: string;
  quantity: number;
  idempotencyKey: string;
  admissionPass?: string;
}

const FIELDS = new Set(["sku", "quantity", "idempotencyKey", "admissionPass"]);

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
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
    return { ok: false, problem: "body must be a JSON object" };
  const unknown = Object.keys(parsed).filter((field) => !FIELDS.has(field));
  if (unknown.length > 0)
    return {
      ok: false,
      problem: `unknown field(s): ${unknown.join(", ")}; allowed: sku, quantity, idempotencyKey, admissionPass`,
    };
  const { sku, quantity, idempotencyKey, admissionPass } = parsed as Record<string, unknown>;
  const problem =
    skuProblem(sku) ??
    quantityProblem(quantity) ??
    idempotencyKeyProblem(idempotencyKey) ??
    admissionPassProblem(admissionPass);
  if (problem) return { ok: false, problem };
  const body: PurchaseBody = {
    sku: sku as string,
    quantity: quantity as number,
    idempotencyKey: idempotencyKey as string,
  };
  return { ok: true, body: admissionPass === undefined ? body : { ...body, admissionPass: admissionPass as string } };
}

/** Opaque to the client; checked (signature, shopper, sku, expiry) by the waiting room. */
function admissionPassProblem(pass: unknown): string | undefined {
  if (pass === undefined) return undefined;
  return typeof pass === "string" && pass.length > 0 && pass.length <= 1_024
    ? undefined
    : "admissionPass must be the non-empty string GET /admission/{sku} gave you";
}
