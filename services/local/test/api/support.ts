import { randomUUID } from "node:crypto";
import { startLocalStack, type LocalStack } from "../../src/stack";

/** One local stack (DynamoDB Local, cognito-local, gateway) per test file, in a temporary folder. */
export async function startStack(): Promise<LocalStack> {
  return startLocalStack({ quiet: true });
}

export interface Caller {
  sub: string;
  token: string;
  get(path: string): Promise<Reply>;
  post(path: string, body: unknown, raw?: boolean): Promise<Reply>;
}

export interface Reply {
  status: number;
  headers: Headers;
  body: any;
}

export async function call(
  stack: LocalStack,
  method: string,
  path: string,
  token: string | undefined,
  body?: string,
  headers: Record<string, string> = {},
): Promise<Reply> {
  const response = await fetch(`${stack.apiUrl}${path}`, {
    method,
    headers: {
      ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
      ...(body === undefined ? {} : { "content-type": "application/json" }),
      ...headers,
    },
    ...(body === undefined ? {} : { body }),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}

/** A real shopper signed in through cognito-local. */
export async function aShopper(stack: LocalStack): Promise<Caller> {
  const session = await stack.createShopper(`shopper-${randomUUID().slice(0, 8)}@example.com`, "Passw0rd!");
  return {
    sub: session.sub,
    token: session.accessToken,
    get: (path) => call(stack, "GET", path, session.accessToken),
    post: (path, body, raw = false) =>
      call(stack, "POST", path, session.accessToken, raw ? String(body) : JSON.stringify(body)),
  };
}
