import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { StoreUnavailableError } from "../domain/ports";

/** Errors DynamoDB answers when a key or the table is busy right now: retry elsewhere or later. */
export const THROTTLING_ERRORS = new Set([
  "ThrottlingException",
  "ProvisionedThroughputExceededException",
  "RequestLimitExceeded",
  "TransactionInProgressException",
  "TransactionConflictException",
]);

/** The engine failed or never answered; the request itself was fine. */
const ENGINE_ERRORS = new Set([
  "TimeoutError",
  "RequestTimeout",
  "RequestTimeoutException",
  "InternalServerError",
  "InternalFailure",
  "ServiceUnavailable",
  "ServiceUnavailableException",
]);
const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ECONNABORTED",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EAI_AGAIN",
  "ENOTFOUND",
  "ERR_SOCKET_CONNECTION_TIMEOUT",
]);

interface SdkError {
  name?: string;
  code?: string;
  message?: string;
  cause?: unknown;
  $metadata?: { httpStatusCode?: number };
}

/**
 * Whether an error from the SDK is a fault of the engine (unreachable, reset, timed out, throttled, 5xx)
 * rather than a bug in the request. Faults become "try again"; anything else stays a bug (HTTP 500).
 */
export function isEngineFault(error: unknown): boolean {
  for (
    let current = error as SdkError | undefined, depth = 0;
    current && depth < 4;
    current = current.cause as SdkError | undefined, depth++
  ) {
    if (current instanceof StoreUnavailableError) return true;
    if (current.name && (THROTTLING_ERRORS.has(current.name) || ENGINE_ERRORS.has(current.name))) return true;
    if (current.code && NETWORK_CODES.has(current.code)) return true;
    if ((current.$metadata?.httpStatusCode ?? 0) >= 500) return true;
    if (current.message === "socket hang up") return true;
    // The SDK re-wraps errors from another realm (e.g. under a test runner's sandbox) into a new Error
    // whose message is all that is left of the code.
    if (
      current.message?.startsWith("AWS SDK error wrapper for") &&
      [...NETWORK_CODES].some((code) => current.message!.includes(code))
    )
      return true;
  }
  return false;
}

const MIDDLEWARE_NAME = "engineFaultsAsStoreUnavailable";

/**
 * Makes every call of this client report a fault of the engine (after the SDK's own retries) as a
 * StoreUnavailableError, the cause kept; anything else passes through unchanged. Applied once to the
 * client the stores use, so no call site has to remember it. Applying it again changes nothing.
 */
export function reportingEngineFaults<C extends DynamoDBDocumentClient>(doc: C): C {
  doc.middlewareStack.add(
    (next, context) => async (args) => {
      try {
        return await next(args);
      } catch (error) {
        if (error instanceof StoreUnavailableError || !isEngineFault(error)) throw error;
        const reason = error as SdkError;
        throw new StoreUnavailableError(
          `DynamoDB ${context.commandName ?? "call"} failed: ${reason.code ?? reason.name ?? "error"}${reason.message ? ` (${reason.message})` : ""}`,
          { cause: error },
        );
      }
    },
    { step: "initialize", name: MIDDLEWARE_NAME, override: true },
  );
  return doc;
}

/** The SDK error's name behind a StoreUnavailableError (e.g. ThrottlingException), or the error's own name. */
export function errorName(error: unknown): string {
  const cause = error instanceof StoreUnavailableError ? (error.cause as SdkError | undefined) : undefined;
  return cause?.name ?? (error as SdkError | undefined)?.name ?? "";
}
