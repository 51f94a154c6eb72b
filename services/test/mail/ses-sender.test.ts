import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { UndeliverableMailError } from "../../src/domain/mail";
import { sesMailSender } from "../../src/mail/ses-sender";

/** The SES adapter against a stand-in speaking the two AWS APIs it calls (Cognito ListUsers, SESv2 SendEmail). */

interface Call {
  target: string;
  path: string;
  body: any;
}

async function aStandIn(users: Record<string, string>) {
  const calls: Call[] = [];
  const server = createServer(async (request: IncomingMessage, response) => {
    let text = "";
    for await (const chunk of request) text += chunk;
    const body = text ? JSON.parse(text) : {};
    const target = String(request.headers["x-amz-target"] ?? "");
    calls.push({ target, path: request.url ?? "", body });
    if (target.endsWith("ListUsers")) {
      const sub = /sub = "(.*)"/.exec(body.Filter)?.[1] ?? "";
      const email = users[sub];
      response.setHeader("content-type", "application/x-amz-json-1.1");
      response.end(
        JSON.stringify({ Users: email ? [{ Username: sub, Attributes: [{ Name: "email", Value: email }] }] : [] }),
      );
      return;
    }
    response.setHeader("content-type", "application/json");
    response.end(JSON.stringify({ MessageId: "m-1" }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { calls, endpoint, close: () => new Promise((resolve) => server.close(resolve)) };
}

const mail = { id: "order-1#confirmed", shopper: "sub-ana", subject: "Order confirmed: Sneaker", text: "Thank you" };

test("a mail goes through SES from the configured sender to the shopper's address in the user pool", async () => {
  const standIn = await aStandIn({ "sub-ana": "ana@example.com" });
  const sender = sesMailSender({
    region: "eu-west-1",
    from: "shop@example.com",
    userPoolId: "pool-1",
    endpoint: standIn.endpoint,
  });

  await sender.send(mail);
  await standIn.close();

  const sent = standIn.calls.find((call) => call.path === "/v2/email/outbound-emails");
  expect(standIn.calls[0]?.body).toMatchObject({ UserPoolId: "pool-1", Filter: 'sub = "sub-ana"' });
  expect(sent?.body).toMatchObject({
    FromEmailAddress: "shop@example.com",
    Destination: { ToAddresses: ["ana@example.com"] },
    Content: { Simple: { Subject: { Data: "Order confirmed: Sneaker" }, Body: { Text: { Data: "Thank you" } } } },
  });
});

test("a shopper without an address in the pool is refused before anything is sent", async () => {
  const standIn = await aStandIn({});
  const sender = sesMailSender({
    region: "eu-west-1",
    from: "shop@example.com",
    userPoolId: "pool-1",
    endpoint: standIn.endpoint,
  });

  await expect(sender.send(mail)).rejects.toBeInstanceOf(UndeliverableMailError);
  await standIn.close();

  expect(standIn.calls.some((call) => call.path === "/v2/email/outbound-emails")).toBe(false);
});
