/** The payment port's adapters (the port itself is the domain's: domain/payments.ts). */
export { createStripeProvider, type StripeProviderOptions, stripeEndpointAt } from "./stripe-provider";
export { checkoutFromEnv, SHOPPER_CALLS } from "./from-env";
