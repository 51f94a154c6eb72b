import { type AppOptions, admissionFromEnv, createShop } from "../app";
import type { Shop } from "../domain/shop";
import { routes, type Route } from "../routes";
import { dynamoSettingsFromEnv } from "../store/client";
import { createHandler, type ApiHandler } from "./api-handler";

let shop: Shop | undefined;

/**
 * The Lambda entry point for a route table row, bound to this container's one Shop (and so one SDK client and
 * one catalog snapshot), made on first use. `options`: what this function adds (the payment provider, read from
 * its environment by the entry points that take payments, so only their bundles carry the Stripe SDK).
 */
export function lambdaHandler(name: Route["handler"], options: () => AppOptions = () => ({})): ApiHandler {
  const route = routes.find((candidate) => candidate.handler === name);
  if (!route) throw new Error(`no route in the route table uses handler '${name}'`);
  return createHandler(route, () => {
    shop ??= createShop(dynamoSettingsFromEnv(), { ...admissionFromEnv(), ...options() });
    return shop;
  });
}
