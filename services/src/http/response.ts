import type { APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import type { PurchaseErrorCode } from "../domain/types";

export type ErrorCode =
  | PurchaseErrorCode
  | "UNAUTHORIZED"
  | "ORDER_NOT_FOUND"
  | "ORDER_NOT_CANCELLABLE"
  | "INVALID_SIGNATURE"
  | "INTERNAL_ERROR";

export type HttpResult = APIGatewayProxyStructuredResultV2 & { statusCode: number; body: string };

const JSON_HEADERS = { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" };

export function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): HttpResult {
  return { statusCode, headers: { ...JSON_HEADERS, ...headers }, body: JSON.stringify(body) };
}

/** The contract's error body: `{"error": {"code", "message", ...details}}`. */
export function errorResponse(
  statusCode: number,
  code: ErrorCode,
  message: string,
  details: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): HttpResult {
  return json(statusCode, { error: { code, message, ...details } }, headers);
}

/** HTTP status for each purchase refusal, as the contract fixes them. */
export const PURCHASE_ERROR_STATUS: Record<PurchaseErrorCode, number> = {
  INVALID_REQUEST: 400,
  PRODUCT_NOT_FOUND: 404,
  SOLD_OUT: 409,
  INSUFFICIENT_STOCK: 409,
  SALE_NOT_STARTED: 409,
  SALE_ENDED: 409,
  LIMIT_EXCEEDED: 409,
  IDEMPOTENCY_KEY_REUSED: 409,
  NOT_ADMITTED: 403,
  TRY_AGAIN: 503,
};
