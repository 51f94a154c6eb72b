import type { PaymentProvider } from "../domain/payments";
import { createStripeProvider, stripeEndpointAt } from "../payments";
import { PAYMENT_ENV } from "../routes";
import { runningStack } from "./running-stack";

/**
 * The payment provider the merchandiser's commands (refund, reconcile) talk to: with --table, the deployed
 * stack's Stripe (its secret key from the environment, and a stand-in in place of api.stripe.com when
 * STRIPE_API_URL names one); otherwise the local stack's stand-in. `doing` names the job in the error.
 */
export function cliPaymentProvider(deployed: boolean, doing: string): PaymentProvider {
  // These commands never read webhooks: no signing secret is needed.
  const webhookSecret = "whsec_unused_by_the_cli";
  if (deployed) {
    const secretKey = process.env[PAYMENT_ENV.secretKey];
    if (!secretKey) throw new Error(`set ${PAYMENT_ENV.secretKey} to the stack's Stripe secret key to ${doing}`);
    const apiUrl = process.env[PAYMENT_ENV.apiUrl];
    return createStripeProvider({ secretKey, webhookSecret, ...(apiUrl ? stripeEndpointAt(apiUrl) : {}) });
  }
  const running = runningStack();
  if (!running) throw new Error("the local stack is not running: start it with `npm start`");
  return createStripeProvider({
    secretKey: running.payments.secretKey,
    webhookSecret,
    ...stripeEndpointAt(running.payments.url),
  });
}
