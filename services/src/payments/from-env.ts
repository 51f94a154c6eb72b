import type { AppOptions } from "../app";
import { PAYMENT_ENV } from "../routes";
import { createStripeProvider } from "./stripe-provider";

/** A shopper waits at most the handler's 2.5 s deadline: one call of 1.5 s and one retry at most inside it. */
export const SHOPPER_CALLS = { timeoutMs: 1_500, maxNetworkRetries: 1 } as const;

/**
 * The payment side from the function's environment (set by the Pulumi program): the Stripe adapter when the
 * secrets are there (only functions whose route row has `paymentSecrets` get them), and the storefront's order
 * page when STOREFRONT_URL is set. Read once per container, at module load.
 */
export function checkoutFromEnv(env: NodeJS.ProcessEnv = process.env): AppOptions {
  const secretKey = env[PAYMENT_ENV.secretKey];
  const webhookSecret = env[PAYMENT_ENV.webhookSecret];
  const storefront = env[PAYMENT_ENV.storefrontUrl]?.replace(/\/+$/, "");
  return {
    checkout: {
      ...(secretKey && webhookSecret
        ? { provider: createStripeProvider({ secretKey, webhookSecret, ...SHOPPER_CALLS }) }
        : {}),
      ...(storefront ? { orderPageUrl: (orderId: string) => `${storefront}/orders/${orderId}` } : {}),
    },
  };
}
