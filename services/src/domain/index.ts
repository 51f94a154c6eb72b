/** The pure domain: the shop, its ports and the waiting room's arithmetic. */
export * from "./admission";
export * from "./holds";
export * from "./payments";
export * from "./ports";
export * from "./shop";
