/** Route handlers over a shop, for the local gateway (Lambda entry points are in src/functions). */
export * from "./api-handler";
export * from "./response";
export * from "./environment";
export { createLog, type FunctionLog, type RequestLogLine } from "./log";
