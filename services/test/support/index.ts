/** Test helpers other workspaces' tests use: throw-away tables, products and shops, metered clients.  */
export * from "./shop";
export * from "./table";
export * from "./write-meter";
export * from "./stock-cli";
