import type { AppOptions } from "../app";
import { PAYMENT_ENV } from "../routes";
import { createStripeProvider } from "./stripe-provider";

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
      ...(secretKey && webhookSecret ? { provider: createStripeProvider({ secretKey, webhookSecret }) } : {}),
      ...(storefront ? { orderPageUrl: (orderId: string) => `${storefront}/orders/${orderId}` } : {}),
    },
  };
}
