import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A DynamoDB endpoint that records the operations it is sent (the container's edge) and answers every
 * catalog Query with an empty page.
 */
function recordingEndpoint(): Promise<{ server: Server; url: string; operations: string[] }> {
  const operations: string[] = [];
  const server = createServer((request, response) => {
    operations.push(String(request.headers["x-amz-target"] ?? "").replace("DynamoDB_20120810.", ""));
    request.resume();
    request.on("end", () => {
      response.writeHead(200, { "content-type": "application/x-amz-json-1.0" });
      response.end(JSON.stringify({ Items: [], Count: 0, ScannedCount: 0 }));
    });
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () =>
      resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, operations }),
    ),
  );
}

const until = async (condition: () => boolean, ms = 4_000) => {
  const deadline = Date.now() + ms;
  while (!condition() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
};

describe("a Lambda container's init phase", () => {
  let endpoint: Awaited<ReturnType<typeof recordingEndpoint>>;
  const saved = { ...process.env };
  beforeAll(async () => {
    endpoint = await recordingEndpoint();
  });
  afterAll(() => {
    process.env = saved;
    endpoint.server.close();
  });

  it("reads the catalog when the function's module loads, before any request arrives", async () => {
    // prepare: the function's environment, pointing at the recording endpoint
    process.env.TABLE_NAME = "flash-sale";
    process.env.AWS_REGION = "us-east-1";
    process.env.DYNAMODB_ENDPOINT = endpoint.url;
    process.env.AWS_ACCESS_KEY_ID = "local";
    process.env.AWS_SECRET_ACCESS_KEY = "local";

    // act: load the module as Lambda's init does, and invoke nothing
    jest.isolateModules(() => {
      require("../../src/functions/list-products");
    });

    // assess: the SDK client, its connection and the catalog snapshot were made at init
    await until(() => endpoint.operations.includes("Query"));
    expect(endpoint.operations).toContain("Query");
  });
});
