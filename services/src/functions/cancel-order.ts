import { lambdaHandler } from "../http/container";

/** Returns held units: the order lifecycle's store, never the payment provider. */
export const handler = lambdaHandler("cancel-order", () => ({ checkout: {} }));
