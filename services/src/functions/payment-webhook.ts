import { lambdaHandler } from "../http/container";
import { checkoutFromEnv } from "../payments/from-env";

/** Takes payments: the Stripe adapter from this function's environment (its secrets reach no other function). */
export const handler = lambdaHandler("payment-webhook", checkoutFromEnv);
