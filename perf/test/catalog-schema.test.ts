import { checkProducts } from "@flash-sale/services/catalog";
import { saleProduct } from "../src/scenario/flash-sale";
import { waitingRoomProduct } from "../src/scenario/waiting-room";
import { aProduct } from "./support/table";

/** Perf's products pass the catalog's one schema, the one `stock load` and the local stack check. */

const sale = {
  shoppers: 1_000,
  units: 100,
  perCustomerLimit: 2,
  shards: 16,
  listingRate: 10,
  feedRate: 10,
  listingSeconds: 5,
  burstRate: 500,
  burstSeconds: 10,
  profile: "spike" as const,
  tailRate: 50,
  tailSeconds: 10,
  replayShare: 0.1,
};

test.each([
  ["a flash sale", () => saleProduct("run1", Date.now(), sale)],
  ["a held-checkout sale", () => saleProduct("run2", Date.now(), { ...sale, holdSeconds: 60 })],
  [
    "a waiting-room sale",
    () =>
      waitingRoomProduct("run3", Date.now() + 60_000, {
        units: 100,
        shoppers: 1_000,
        bots: 10,
        rate: 50,
        joinSeconds: 30,
        shards: 4,
        botRate: 5,
        maxSeconds: 120,
      }),
  ],
  ["the audit tests' product", () => aProduct()],
])("%s passes the catalog schema", (_name, build) => {
  expect(checkProducts("perf", [build()]).problems).toEqual([]);
});
