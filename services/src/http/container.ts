import { admissionFromEnv, createShop } from "../app";
import type { Shop } from "../domain/shop";
import { routes, type Route } from "../routes";
import { dynamoSettingsFromEnv } from "../store/client";
import { createHandler, type ApiHandler } from "./api-handler";

let shop: Shop | undefined;

/** The container's one Shop (and so one SDK client and one catalog snapshot), made on first use. */
function containerShop(): Shop {
  shop ??= createShop(dynamoSettingsFromEnv(), admissionFromEnv());
  return shop;
}

/** The Lambda entry point for a route table row, bound to this container's shop. */
export function lambdaHandler(name: Route["handler"]): ApiHandler {
  const route = routes.find((candidate) => candidate.handler === name);
  if (!route) throw new Error(`no route in the route table uses handler '${name}'`);
  return createHandler(route, containerShop);
}
