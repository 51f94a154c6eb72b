/**
 * The one route table. The Pulumi program creates an API Gateway route and a Lambda function per row
 * (bundling `services/src/functions/<handler>.ts`, granting exactly `dynamodbActions` on the table);
 * the local gateway serves the same handlers from it.
 */
/**
 * The scope Cognito puts in every user-pool access token and never in ID tokens. Routes with `auth`
 * require it (API Gateway's authorizationScopes; the local gateway checks the same), which is how an
 * ID token is refused: API Gateway's JWT authorizer cannot tell the two apart otherwise.
 */
export const ACCESS_TOKEN_SCOPE = "aws.cognito.signin.user.admin";

export type DynamoDbAction =
  | "dynamodb:GetItem"
  | "dynamodb:Query"
  | "dynamodb:BatchGetItem"
  | "dynamodb:UpdateItem"
  | "dynamodb:PutItem"
  | "dynamodb:DeleteItem"
  | "dynamodb:ConditionCheckItem";

export interface Route {
  method: "GET" | "POST";
  /** API Gateway path syntax: `{name}` is a path parameter. */
  path: string;
  /** File under services/src/functions/ (without .ts) exporting `handler`. */
  handler:
    | "availability"
    | "catalog"
    | "list-products"
    | "get-product"
    | "purchase"
    | "list-orders"
    | "get-order"
    | "cancel-order"
    | "admission"
    | "payment-webhook";
  /**
   * Behind the Cognito JWT authorizer (access tokens only). A public route (false) is also cached at the
   * edge for as long as its response's own Cache-Control allows (CloudFront in AWS, the local gateway's edge cache here).
   */
  auth: boolean;
  /** The only DynamoDB actions this handler's role may perform on the table. */
  dynamodbActions: readonly DynamoDbAction[];
  /** Gets the waiting room's signing key (ADMISSION_KEY) in its environment: only routes that sign or check passes. */
  admissionKey?: true;
  /** Gets the payment provider's secret key and webhook signing secret: only routes that call the provider. */
  paymentSecrets?: true;
}

/**
 * What a function that takes payments reads from its environment (the Pulumi program sets them; the local stack
 * passes the same to its shop). The two secrets reach only the routes marked `paymentSecrets`.
 */
/**
 * CloudFront adds this header (the value a secret the Pulumi program generates) to every request it forwards to
 * the API, and the functions, given the same value in ORIGIN_SECRET_ENV, refuse a request without it: the API's
 * own execute-api endpoint cannot be used to skip the WAF and the cache. Unset (locally) = no check.
 */
export const ORIGIN_SECRET_HEADER = "x-origin-key";
export const ORIGIN_SECRET_ENV = "ORIGIN_SECRET";

export const PAYMENT_ENV = {
  /** Stripe's secret API key (`sk_...`), a Pulumi config secret. */
  secretKey: "STRIPE_SECRET_KEY",
  /** The webhook endpoint's signing secret (`whsec_...`), a Pulumi config secret. */
  webhookSecret: "STRIPE_WEBHOOK_SECRET",
  /** The storefront's origin (CloudFront's URL): the payment page returns to `<it>/orders/<orderId>`. */
  storefrontUrl: "STOREFRONT_URL",
  /** Locally only: the payment stand-in's base URL, in place of api.stripe.com. */
  apiUrl: "STRIPE_API_URL",
} as const;

/** The expiry sweep (not a route): run every minute by a schedule in AWS, every 2 s by the local stack. */
export const HOLD_SWEEP = {
  handler: "hold-sweep",
  /** Reads the catalog and the hold index (Query, BatchGetItem), the cursor and orders (GetItem); returns holds in
   * one transaction per order (UpdateItem, DeleteItem) and moves its cursor (PutItem). */
  dynamodbActions: [
    "dynamodb:Query",
    "dynamodb:BatchGetItem",
    "dynamodb:GetItem",
    "dynamodb:UpdateItem",
    "dynamodb:DeleteItem",
    "dynamodb:PutItem",
  ] as readonly DynamoDbAction[],
} as const;

/**
 * The table stream's consumer (not a route): an event source mapping in AWS, the local stack's stream poller here.
 * Its mail claims are conditional writes (PutItem to claim, UpdateItem once sent, DeleteItem to release after a
 * failed send, GetItem to tell a sent mail from a busy one), it reads a product's name (GetItem), and the sales
 * tally is one transaction per event (a Put of its counted marker, an Update of a tally item: authorised per item).
 */
export const ORDER_EVENTS = {
  handler: "order-events",
  dynamodbActions: [
    "dynamodb:GetItem",
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
    "dynamodb:DeleteItem",
  ] as readonly DynamoDbAction[],
} as const;

const catalogReads: DynamoDbAction[] = ["dynamodb:Query", "dynamodb:BatchGetItem"];
/** One product and its shards (domain/catalog.ts `product(sku)`): what a purchase, a product page or a line reads. */
const productReads: DynamoDbAction[] = ["dynamodb:GetItem", "dynamodb:BatchGetItem"];

export const routes: readonly Route[] = [
  // What shoppers poll: public, tiny, cached 1 s at the edge; served from the container's catalog snapshot.
  { method: "GET", path: "/availability", handler: "availability", auth: false, dynamodbActions: catalogReads },
  // The drop for anyone, signed in or not (the storefront's landing and product pages): the same product views as
  // GET /products, public and cached 1 s at the edge, so visitors cost CloudFront requests, not Lambda calls.
  { method: "GET", path: "/catalog", handler: "catalog", auth: false, dynamodbActions: catalogReads },
  { method: "GET", path: "/products", handler: "list-products", auth: true, dynamodbActions: catalogReads },
  { method: "GET", path: "/products/{sku}", handler: "get-product", auth: true, dynamodbActions: productReads },
  {
    method: "POST",
    path: "/purchases",
    handler: "purchase",
    auth: true,
    // TransactWriteItems is authorised per item action (UpdateItem for shards and limits, PutItem for the order);
    // flagging a sell-out reads the product (GetItem) and its shards, then updates it (UpdateItem); GetItem reads an order back on replay.
    // A payment product's purchase also files its hold (PutItem) and stores the payment page on the order (UpdateItem).
    dynamodbActions: [...productReads, "dynamodb:UpdateItem", "dynamodb:PutItem"],
    admissionKey: true,
    paymentSecrets: true,
  },
  { method: "GET", path: "/orders", handler: "list-orders", auth: true, dynamodbActions: ["dynamodb:Query"] },
  { method: "GET", path: "/orders/{orderId}", handler: "get-order", auth: true, dynamodbActions: ["dynamodb:GetItem"] },
  // A held order given up: one transaction returns its units (UpdateItem on the order, shards, allowance and
  // product) and takes it out of the expiry index (DeleteItem); the catalog gives the product's shard count.
  {
    method: "POST",
    path: "/orders/{orderId}/cancel",
    handler: "cancel-order",
    auth: true,
    dynamodbActions: [...catalogReads, "dynamodb:GetItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"],
  },
  // The payment provider's events: public (its signature is the credential), never cached. Applying one may
  // confirm (UpdateItem, DeleteItem), take units again after a returned hold, or mark a refund.
  {
    method: "POST",
    path: "/payments/webhook",
    handler: "payment-webhook",
    auth: false,
    dynamodbActions: [...catalogReads, "dynamodb:GetItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"],
    paymentSecrets: true,
  },
  // Joining the waiting room: the shopper's join item (GetItem, PutItem, UpdateItem) and one counter shard (UpdateItem).
  {
    method: "GET",
    path: "/admission/{sku}",
    handler: "admission",
    auth: true,
    dynamodbActions: [...productReads, "dynamodb:PutItem", "dynamodb:UpdateItem"],
    admissionKey: true,
  },
];
