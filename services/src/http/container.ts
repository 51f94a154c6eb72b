import { type AppOptions, admissionFromEnv, createShop } from "../app";
import type { Shop } from "../domain/shop";
import { routes, type Route } from "../routes";
import { dynamoSettingsFromEnv } from "../store/client";
import { createHandler, type ApiHandler } from "./api-handler";

let shop: Shop | undefined;

/**
 * Lambda's init phase, the work a container does once before it serves anyone: the SDK client, its
 * credentials, endpoint and keep-alive connection, and the catalog snapshot with the stock knowledge every
 * purchase plans from. Started here, at module load, so the first shopper does not pay for them (before
 * this, the first purchase of each new container read the catalog and the shards, on a new connection,
 * before its write). The read is not awaited: a request arriving meanwhile joins it (the catalog cache
 * shares one read in flight). A failure is left to the first request, which reads again and answers
 * TRY_AGAIN (or reports a missing setting) as it always did.
 */
export function initContainer(getShop: () => Shop): void {
  try {
    getShop()
      .listProducts()
      .catch(() => undefined);
  } catch {
    // A missing setting: the first request reports it.
  }
}

/**
 * The Lambda entry point for a route table row, bound to this container's one Shop (and so one SDK client and
 * one catalog snapshot), made at init. `options`: what this function adds (the payment provider, read from
 * its environment by the entry points that take payments, so only their bundles carry the Stripe SDK).
 */
export function lambdaHandler(name: Route["handler"], options: () => AppOptions = () => ({})): ApiHandler {
  const route = routes.find((candidate) => candidate.handler === name);
  if (!route) throw new Error(`no route in the route table uses handler '${name}'`);
  const getShop = () => {
    shop ??= createShop(dynamoSettingsFromEnv(), { ...admissionFromEnv(), ...options() });
    return shop;
  };
  initContainer(getShop);
  return createHandler(route, getShop);
}
