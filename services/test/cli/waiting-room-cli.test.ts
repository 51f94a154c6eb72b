import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { aProduct, aWaitingRoomContainer, scanAll, type TestTable } from "../support/shop";
import { runStockCli, writeCatalogFile } from "../support/stock-cli";
import { createTestTable } from "../support/table";

/** `npm run stock` and the waiting room: catalog fields, the waiting-room command, status. */

let table: TestTable;
let dir: string;
beforeAll(async () => {
  table = await createTestTable();
  dir = mkdtempSync(join(tmpdir(), "waiting-room-cli-"));
});
afterAll(async () => {
  await table.drop();
});

const HOUR = 3_600_000;

const stock = (...args: string[]) => runStockCli(table, args);

const catalogFile = (name: string, products: unknown) => writeCatalogFile(dir, name, products);

const upcoming = {
  saleStartsAt: new Date(Date.now() + HOUR).toISOString(),
  saleEndsAt: new Date(Date.now() + 2 * HOUR).toISOString(),
};

test("a catalog file sets waitingRoom and admissionRate; status shows the rate and who joined", async () => {
  // prepare: two shoppers join the line of the file's product
  const file = catalogFile("rooms.json", [
    aProduct({ sku: "room-a", waitingRoom: true, admissionRate: 40, ...upcoming }),
    aProduct({ sku: "room-b", waitingRoom: true, shardCount: 2, ...upcoming }),
  ]);
  expect(await stock("load", file)).toMatchObject({ code: 0 });
  const shop = aWaitingRoomContainer(table);
  await shop.admission("alice", "room-a");
  await shop.admission("bob", "room-a");
  await shop.admission("bob", "room-a");

  // act
  const status = await stock("status");
  const json = await stock("status", "room-b", "--json");

  // assess
  expect(status.code).toBe(0);
  expect(status.stdout).toMatch(/room-a\s+yes\s+40\s+2\s+0\s+2\s+before opening/);
  expect(status.stdout).toMatch(/room-b\s+yes\s+500 \(default\)\s+0\s+0\s+0\s+before opening/);
  expect(JSON.parse(json.stdout)).toEqual([
    expect.objectContaining({
      sku: "room-b",
      waitingRoom: expect.objectContaining({ enabled: true, rate: 500, rateIsDefault: true, joined: 0 }),
    }),
  ]);
});

test("the waiting-room command turns a room on and off and sets the rate, or back to the default", async () => {
  expect(
    await stock("load", catalogFile("plain.json", [aProduct({ sku: "room-c", shardCount: 4, ...upcoming })])),
  ).toMatchObject({ code: 0 });

  const on = await stock("waiting-room", "room-c", "on", "--rate", "12.5");
  const shown = await stock("waiting-room", "room-c", "--json");
  const reset = await stock("waiting-room", "room-c", "--rate", "default", "--json");
  const off = await stock("waiting-room", "room-c", "off", "--json");

  expect(on).toMatchObject({ code: 0, stdout: expect.stringContaining("Waiting room of room-c on.") });
  expect(JSON.parse(shown.stdout)).toMatchObject({ enabled: true, rate: 12.5, rateIsDefault: false });
  expect(JSON.parse(reset.stdout)).toMatchObject({ enabled: true, rate: 1_000, rateIsDefault: true });
  expect(JSON.parse(off.stdout)).toMatchObject({ enabled: false });
  const item = (await scanAll(table)).find((candidate) => candidate.sk === "PRODUCT#room-c");
  expect(item).toMatchObject({ waitingRoom: false });
  expect(item?.admissionRate).toBeUndefined();
});

test("a rate changed during the sale goes on from the places already admitted", async () => {
  const open = {
    saleStartsAt: new Date(Date.now() - 10_000).toISOString(),
    saleEndsAt: new Date(Date.now() + HOUR).toISOString(),
  };
  expect(
    await stock(
      "load",
      catalogFile("open.json", [aProduct({ sku: "room-d", waitingRoom: true, admissionRate: 2, ...open })]),
    ),
  ).toMatchObject({ code: 0 });

  expect(await stock("waiting-room", "room-d", "--rate", "50")).toMatchObject({ code: 0 });

  const item = (await scanAll(table)).find((candidate) => candidate.sk === "PRODUCT#room-d");
  // About 10 s at 2/s had been admitted when the rate changed.
  expect(item?.admissionBase).toMatchObject({ admitted: expect.any(Number) });
  const { admitted } = item!.admissionBase as { admitted: number };
  expect(admitted).toBeGreaterThan(15);
  expect(admitted).toBeLessThan(40);
});

test.each([
  [["waiting-room"], /needs <sku>/],
  [["waiting-room", "room-a", "maybe"], /on or off/],
  [["waiting-room", "room-a", "--rate", "0"], /--rate must be a number of shoppers per second above 0/],
  [["waiting-room", "room-a", "--rate", "fast"], /--rate must be/],
  [["waiting-room", "no-such-sku", "on"], /no product 'no-such-sku'/],
])("%j is refused with a clear message", async (args, message) => {
  const result = await stock(...args);

  expect(result.code).not.toBe(0);
  expect(result.stderr).toMatch(message);
});

test("bad waiting-room fields in a catalog file are named and nothing is written", async () => {
  const before = (await scanAll(table)).length;
  const file = catalogFile("bad-room.json", [
    aProduct({ sku: "room-bad", ...upcoming, waitingRoom: "yes" as never, admissionRate: -3 }),
  ]);

  const result = await stock("load", file);

  expect(result.code).toBe(1);
  expect(result.stderr).toContain("(room-bad): waitingRoom must be true or false");
  expect(result.stderr).toContain("(room-bad): admissionRate must be a number of shoppers per second above 0");
  expect((await scanAll(table)).length).toBe(before);
});
