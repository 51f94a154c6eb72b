import type { AddressInfo } from "node:net";
import { routes } from "@flash-sale/services/routes";
import { createGateway } from "../src/gateway";

const refuseTokens = { verify: async () => undefined } as never;

describe("the local gateway's init phase", () => {
  it("starts the functions' init before any request and holds the first request until it is done, as Lambda does", async () => {
    // prepare: an init that finishes only when told, and a handler that notes when it runs
    const events: string[] = [];
    let finishInit: () => void = () => undefined;
    const server = createGateway({
      routes,
      handlerFor: () => async () => {
        events.push("handler");
        return { statusCode: 200, body: "{}" };
      },
      verifier: refuseTokens,
      init: () => {
        events.push("init started");
        return new Promise<void>((resolve) => {
          finishInit = () => {
            events.push("init done");
            resolve();
          };
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/availability`;

    // act: a request while init runs, then init ends
    const answer = fetch(url);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const beforeInitEnded = [...events];
    finishInit();
    const response = await answer;

    // assess
    expect(beforeInitEnded).toEqual(["init started"]);
    expect(response.status).toBe(200);
    expect(events).toEqual(["init started", "init done", "handler"]);
    await new Promise((resolve) => server.close(resolve));
  });
});
