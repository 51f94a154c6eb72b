import { HttpErrorResponse } from '@angular/common/http';
import type { ErrorCode } from './shop-types';

/** Codes the app adds for failures that never reached a contract error body. */
export type ClientErrorCode = 'NETWORK' | 'SERVER';

const RETRYABLE_STATUSES = new Set([429, 502, 503, 504]);

/** A failed API call, with a message meant for the shopper. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode | ClientErrorCode,
    message: string,
    readonly details: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /**
   * "Not now" or an unknown outcome: worth the same request again (a purchase with the same key, so a
   * retry never buys twice). 429 is API Gateway's stage throttle, 503 our TRY_AGAIN or a throttle,
   * 502/504 a throttled, failed or timed-out Lambda behind API Gateway.
   */
  get retryable(): boolean {
    return this.code === 'NETWORK' || RETRYABLE_STATUSES.has(this.status);
  }
}

/** Turns an HttpClient failure into an ApiError, reading the contract's error body when there is one. */
export function toApiError(response: HttpErrorResponse): ApiError {
  if (response.status === 0) return new ApiError(0, 'NETWORK', plainMessage('NETWORK', {}));
  const body = (response.error as { error?: { code?: unknown } & Record<string, unknown> } | null)?.error;
  const code =
    typeof body?.code === 'string' && body.code in MESSAGES ? (body.code as ErrorCode) : statusCode(response.status);
  const details = { ...(body ?? {}) };
  return new ApiError(response.status, code, plainMessage(code, details), details);
}

function statusCode(status: number): ErrorCode | ClientErrorCode {
  if (status === 401) return 'UNAUTHORIZED';
  if (RETRYABLE_STATUSES.has(status)) return 'TRY_AGAIN';
  return 'SERVER';
}

type Details = Readonly<Record<string, unknown>>;

const MESSAGES: Record<ErrorCode | ClientErrorCode, (details: Details) => string> = {
  INVALID_REQUEST: () => 'The shop could not accept that request. Reload the page and try again.',
  PRODUCT_NOT_FOUND: () => 'This product is no longer part of the sale.',
  SOLD_OUT: () => 'Sold out: every unit has been sold.',
  INSUFFICIENT_STOCK: (details) =>
    typeof details['available'] === 'number'
      ? `Not enough left: only ${details['available']} remaining. Choose a smaller quantity.`
      : 'Not enough left for that quantity. Choose a smaller quantity.',
  SALE_NOT_STARTED: () => 'The sale has not started yet. Wait for the countdown to finish.',
  SALE_ENDED: () => 'The sale has ended.',
  LIMIT_EXCEEDED: (details) =>
    typeof details['perCustomerLimit'] === 'number'
      ? `Limit reached: each customer can buy at most ${details['perCustomerLimit']} of this product.`
      : 'Limit reached: you already have the most each customer can buy of this product.',
  IDEMPOTENCY_KEY_REUSED: () => 'This purchase clashed with an earlier one. Please press Buy again.',
  NOT_ADMITTED: (details) =>
    details['reason'] === 'expired'
      ? 'Your turn to buy has ended: your admission pass expired.'
      : 'This product sells through a waiting room: please wait for your turn in line.',
  TRY_AGAIN: () => 'The shop is very busy right now. Please try again in a moment.',
  UNAUTHORIZED: () => 'Your session has ended. Please sign in again.',
  ORDER_NOT_FOUND: () => 'That order could not be found.',
  ORDER_NOT_CANCELLABLE: () => 'This order can no longer be cancelled: it was paid, or its hold has already ended.',
  NETWORK: () => 'Could not reach the shop. Check your connection and try again.',
  SERVER: () => 'Something went wrong on our side. Please try again.',
};

export function plainMessage(code: ErrorCode | ClientErrorCode, details: Details): string {
  return MESSAGES[code](details);
}
