// The HTTP contract's shapes (README.md, "The HTTP API"), defined once: the storefront reads the
// very types the handlers write.
import type { AvailabilityFeed, Order, ProductView, PurchaseErrorCode } from '@flash-sale/services/contract';
import type { AdmissionView } from '@flash-sale/services/contract';

export type { AdmissionView, AvailabilityFeed, Order };
export type Product = ProductView;

export interface PurchaseIntent {
  sku: string;
  quantity: number;
  /** Made once per purchase intent and sent again on every retry of it. */
  idempotencyKey: string;
  /** For products with a waiting room: the pass GET /admission/{sku} gave once admitted. */
  admissionPass?: string;
}

/** The codes of the contract's error bodies, `{"error": {"code", "message", ...details}}`. */
export type ErrorCode = PurchaseErrorCode | 'UNAUTHORIZED' | 'ORDER_NOT_FOUND' | 'ORDER_NOT_CANCELLABLE';
