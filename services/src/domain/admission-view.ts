/** The waiting room as the HTTP contract shows it: shared by the handlers and the storefront (no imports). */

export type AdmissionState = "waiting" | "admitted" | "expired" | "sold-out" | "closed";

/** GET /admission/{sku}'s body (README.md "The HTTP API", plus the state and timing the storefront shows). */
export interface AdmissionView {
  sku: string;
  state: AdmissionState;
  admitted: boolean;
  /** Shoppers ahead (0: next). */
  position?: number;
  estimatedWaitSeconds?: number;
  retryAfterSeconds?: number;
  /** Send back as `?ticket=` to poll without a read. */
  ticket?: string;
  pass?: string;
  passExpiresAt?: string;
  /** When this shopper's turn comes (waiting: expected at the current rate) or came (expired). */
  turnAt?: string;
  opensAt: string;
  serverTime: string;
}
