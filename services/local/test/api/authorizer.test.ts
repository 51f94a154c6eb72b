import type { LocalStack } from "../../src/stack";
import { decodeJwt } from "jose";
import { cognitoLocalKey, signRs256, someOtherKey, unsigned } from "../support/jwt";
import { call, startStack } from "./support";

let stack: LocalStack;
let session: Awaited<ReturnType<LocalStack["createShopper"]>>;
beforeAll(async () => {
  stack = await startStack();
  session = await stack.createShopper("auth-test@example.com", "Passw0rd!");
});
afterAll(async () => {
  await stack?.stop();
});

/** A token like the real one, with some claims changed, signed by cognito-local's own key. */
function variant(changes: Record<string, unknown>): string {
  return signRs256({ ...decodeJwt(session.accessToken), ...changes }, cognitoLocalKey());
}

test("a real access token from cognito-local is accepted", async () => {
  expect((await call(stack, "GET", "/orders", session.accessToken)).status).toBe(200);
});

test("a token re-signed with cognito-local's key and unchanged claims is accepted (the variants below differ only in what they name)", async () => {
  expect((await call(stack, "GET", "/orders", variant({}))).status).toBe(200);
});

test.each([
  ["no token", () => undefined],
  ["a malformed token", () => "not-a-jwt"],
  ["an expired token", () => variant({ exp: Math.floor(Date.now() / 1_000) - 60 })],
  ["a token for another app client", () => variant({ client_id: "someone-elses-client" })],
  ["a token from another issuer", () => variant({ iss: "http://127.0.0.1:1/local_other" })],
  ["an id token instead of an access token", () => session.idToken],
  ["a token with no exp (never expires)", () => variant({ exp: undefined })],
  ["a token issued in the future", () => variant({ iat: Math.floor(Date.now() / 1_000) + 600 })],
  ["a token not valid before a future time", () => variant({ nbf: Math.floor(Date.now() / 1_000) + 600 })],
  ["a token with a forged signature", () => signRs256(decodeJwt(session.accessToken), someOtherKey())],
  ["an unsigned alg: none token", () => unsigned(decodeJwt(session.accessToken))],
])("%s is API Gateway's 401 on every signed-in route (all but the public GET /availability)", async (_name, token) => {
  const replies = await Promise.all([
    call(stack, "GET", "/products", token()),
    call(stack, "GET", "/products/x", token()),
    call(
      stack,
      "POST",
      "/purchases",
      token(),
      JSON.stringify({ sku: "x", quantity: 1, idempotencyKey: "0f8fad5b-d9cb-469f-a165-70867728950e" }),
    ),
    call(stack, "GET", "/orders", token()),
    call(stack, "GET", "/orders/x", token()),
  ]);

  for (const reply of replies) {
    expect(reply).toMatchObject({ status: 401, body: { message: "Unauthorized" } });
    expect(reply.headers.get("www-authenticate")).toBe("Bearer");
  }
});

test("a valid access token without the route's scope is API Gateway's 403 (checked after the token, as the authorizer does)", async () => {
  const token = variant({ scope: "openid profile" });

  const replies = await Promise.all([
    call(stack, "GET", "/products", token),
    call(stack, "GET", "/orders", token),
    call(stack, "GET", "/admission/x", token),
  ]);

  for (const reply of replies) expect(reply).toMatchObject({ status: 403, body: { message: "Forbidden" } });
  expect((await call(stack, "GET", "/orders", variant({ scope: undefined }))).status).toBe(403);
});
