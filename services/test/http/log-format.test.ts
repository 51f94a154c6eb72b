import { StoreUnavailableError } from "../../src/domain/ports";
import type { Shop } from "../../src/domain/shop";
import type { PurchaseResult } from "../../src/domain/types";
import { type ApiEvent, createHandler } from "../../src/http/api-handler";
import { createLog } from "../../src/http/log";
import { routes } from "../../src/routes";

/** Every line a function prints (request, engine fault, bug) comes from one Powertools Logger, in one format. */
const purchaseRoute = routes.find((route) => route.handler === "purchase")!;
const event = {
  body: JSON.stringify({ sku: "hot", quantity: 1, idempotencyKey: "0f8fad5b-d9cb-469f-a165-70867728950e" }),
  headers: { "content-type": "application/json" },
  isBase64Encoded: false,
  requestContext: { requestId: "r1", authorizer: { jwt: { claims: { sub: "s1" }, scopes: [] } } },
} as unknown as ApiEvent;
const shopAnswering = (purchase: () => Promise<PurchaseResult>) => () => ({ purchase }) as unknown as Shop;

/** The JSON lines written to stdout and stderr while `work` runs. */
async function printed(work: () => Promise<unknown>): Promise<Record<string, unknown>[]> {
  const chunks: string[] = [];
  const capture = (chunk: string | Uint8Array) => {
    chunks.push(String(chunk));
    return true;
  };
  const stdout = jest.spyOn(process.stdout, "write").mockImplementation(capture);
  const stderr = jest.spyOn(process.stderr, "write").mockImplementation(capture);
  try {
    await work();
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
  }
  return chunks
    .join("")
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line));
}

/** The keys Powertools adds to every line, whatever the line's own fields. */
const OWN_FIELDS = new Set(["route", "status", "latencyMs", "sku", "outcome", "requestId", "fault", "error"]);
const powertoolsKeys = (line: Record<string, unknown>) =>
  Object.keys(line)
    .filter((key) => !OWN_FIELDS.has(key))
    .sort();

test("a warning on an engine fault and an error on a bug have the same Powertools keys as a request line", async () => {
  const log = createLog({ serviceName: "flash-sale", logs: true });
  const faulty = createHandler(
    purchaseRoute,
    shopAnswering(async () => {
      throw new StoreUnavailableError("DynamoDB could not write the purchase: ECONNREFUSED");
    }),
    { log },
  );
  const broken = createHandler(
    purchaseRoute,
    shopAnswering(async () => {
      throw new Error("a bug");
    }),
    { log },
  );

  // Log lines only: the fault's EMF metric line (EngineFaults) is checked in handler-mapping.test.ts.
  const lines = [...(await printed(() => faulty(event))), ...(await printed(() => broken(event)))].filter(
    (line) => !("_aws" in line),
  );

  expect(lines.map((line) => [line.level, line.message])).toEqual([
    ["WARN", "engine fault"],
    ["ERROR", "request"],
    ["ERROR", "unexpected error"],
    ["ERROR", "request"],
  ]);
  const request = lines[1]!;
  expect(powertoolsKeys(request)).toEqual(expect.arrayContaining(["level", "message", "service", "timestamp"]));
  for (const line of lines) expect(powertoolsKeys(line)).toEqual(powertoolsKeys(request));
  expect(lines[0]).toMatchObject({ route: "POST /purchases", fault: expect.stringContaining("ECONNREFUSED") });
  expect(lines[2]).toMatchObject({ route: "POST /purchases", error: { message: "a bug" } });
  expect(request).toMatchObject({ route: "POST /purchases", status: 503, requestId: "r1", outcome: "TRY_AGAIN" });
});

test("the container's log reads FLASH_SALE_LOGS once, when the handler is made, not per request", async () => {
  const previous = process.env.FLASH_SALE_LOGS;
  process.env.FLASH_SALE_LOGS = "off";
  try {
    const handler = createHandler(
      { method: "GET", path: "/availability", handler: "availability", auth: false },
      () =>
        ({ availability: async () => ({ products: [], serverTime: "2030-01-01T00:00:00.000Z" }) }) as unknown as Shop,
    );
    process.env.FLASH_SALE_LOGS = "on";

    expect(await printed(() => handler({ requestContext: { requestId: "r2" } } as unknown as ApiEvent))).toEqual([]);
  } finally {
    process.env.FLASH_SALE_LOGS = previous;
  }
});
