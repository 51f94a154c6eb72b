/** The DynamoDB side, for the local stack, perf and the merchandiser tools (never imported by the domain). */
export * from "./client";
export * from "./dynamo-store";
export * from "./keys";
export * from "./merchandising";
export * from "./order-lifecycle-store";
export * from "./reconcile";
export * from "./sales-tally";
export * from "./sales-watch";
export * from "./scan";
export * from "./table";
