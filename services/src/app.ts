import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { admissionKeyFrom } from "./domain/admission-tokens";
import type { PaymentProvider } from "./domain/payments";
import { Shop, type ShopOptions } from "./domain/shop";
import { DynamoAdmissionStore } from "./store/admission-store";
import { createDocumentClient, SHOPPER_TIMEOUTS, type DynamoSettings } from "./store/client";
import { DynamoShopStore } from "./store/dynamo-store";
import { DynamoOrderLifecycleStore } from "./store/order-lifecycle-store";

export interface AppOptions extends ShopOptions {
  /** The waiting room's secret (ADMISSION_KEY); without it, waiting-room products cannot be bought. */
  admissionKey?: Buffer;
  /** Sees the shop's DynamoDB client once it exists (metering in load tests). */
  instrument?: (doc: DynamoDBDocumentClient) => void;
  /** The payment provider and the storefront's order page; without them, `payment` products cannot be bought. */
  checkout?: { provider?: PaymentProvider; orderPageUrl?: (orderId: string) => string };
}

/** Wires the shop to DynamoDB. Handlers call this once per container, at module load. */
export function createShop(settings: DynamoSettings, options: AppOptions = {}): Shop {
  const { admissionKey, instrument, checkout, ...shopOptions } = options;
  const doc = createDocumentClient(settings, SHOPPER_TIMEOUTS);
  instrument?.(doc);
  const admission = admissionKey
    ? { admission: { store: new DynamoAdmissionStore(doc, settings.tableName), key: admissionKey } }
    : {};
  const payments = checkout
    ? { payments: { ...checkout, store: new DynamoOrderLifecycleStore(doc, settings.tableName) } }
    : {};
  return new Shop(new DynamoShopStore(doc, settings.tableName), { ...shopOptions, ...admission, ...payments });
}

/** The waiting room's key from the function's environment (set by the Pulumi program). */
export function admissionFromEnv(env: NodeJS.ProcessEnv = process.env): AppOptions {
  const admissionKey = admissionKeyFrom(env.ADMISSION_KEY);
  return admissionKey ? { admissionKey } : {};
}
