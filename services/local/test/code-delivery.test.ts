/** The sign-up and password-reset codes cognito-local prints, read from its real output. */
import { ForgotPasswordCommand, SignUpCommand } from "@aws-sdk/client-cognito-identity-provider";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { codeDeliveryReader, describeCodeDelivery, type CodeDelivery } from "../src/code-delivery";
import { startCognitoLocal, type CognitoLocal } from "../src/cognito-local";
import { cognitoClient, confirmationCode, ensureUserPool, type PoolIds } from "../src/user-pool";

/** cognito-local 5.3.0's stdout for one SignUp, as captured (colour codes and box drawing included). */
const SIGN_UP_OUTPUT = [
  "[1795499355032] \u001b[32mINFO\u001b[39m: \u001b[36mNONE NONE Cognito Local running on http://127.0.0.1:9413\u001b[39m",
  "[1795499357945] \u001b[32mINFO\u001b[39m: \u001b[36m2fdea9ac SignUp ╭───────────────────────────────────────────────────────╮",
  "│                                                       │",
  "│   Confirmation Code Delivery                          │",
  "│                                                       │",
  "│   Username:    71884c82-7b3c-431c-a587-104a38e2fb6d   │",
  "│   Destination: ada@example.com                        │",
  "│   Code:        977967                                 │",
  "│                                                       │",
  '╰───────────────────────────────────────────────────────╯\u001b[39m \u001b[90m{"reqId":"2fdea9ac","target":"SignUp"}\u001b[39m',
  '[1795499357955] \u001b[31mERROR\u001b[39m: \u001b[36mbc1675c2 NONE Cognito Local unsupported feature\u001b[39m \u001b[90m{"reqId":"bc1675c2"}\u001b[39m',
  "",
].join("\n");

describe("reading codes from cognito-local's output", () => {
  test("finds the operation, the email and the code, however the output is split into chunks", () => {
    const seen: CodeDelivery[] = [];
    const read = codeDeliveryReader((delivery) => seen.push(delivery));
    for (let at = 0; at < SIGN_UP_OUTPUT.length; at += 7) read(Buffer.from(SIGN_UP_OUTPUT.slice(at, at + 7)));
    expect(seen).toEqual([{ operation: "SignUp", destination: "ada@example.com", code: "977967" }]);
  });

  test("ignores other log lines and boxes without a code", () => {
    const seen: CodeDelivery[] = [];
    const read = codeDeliveryReader((delivery) => seen.push(delivery));
    read(SIGN_UP_OUTPUT.replace("│   Code:        977967                                 │\n", ""));
    read("[1] INFO: abc InitiateAuth done\n");
    expect(seen).toEqual([]);
  });

  test("prints the code with what it is for and for whom", () => {
    const text = describeCodeDelivery({ operation: "ForgotPassword", destination: "ada@example.com", code: "874739" });
    expect(text).toContain("Password reset code for ada@example.com:  874739");
  });
});

describe("cognito-local started by the local stack", () => {
  let dataDir: string;
  let cognito: CognitoLocal;
  let pool: PoolIds;
  const deliveries: CodeDelivery[] = [];

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "cognito-codes-"));
    cognito = await startCognitoLocal({ dataDir, onCodeDelivery: (delivery) => deliveries.push(delivery) });
    pool = await ensureUserPool(cognitoClient(cognito.endpoint, "us-east-1"), undefined);
  }, 30_000);

  afterAll(async () => {
    await cognito?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** Output arrives a little after the answer: wait for the delivery rather than guess a delay. */
  async function deliveryFor(operation: string, email: string): Promise<CodeDelivery> {
    for (let tries = 0; tries < 50; tries++) {
      const found = deliveries.find((delivery) => delivery.operation === operation && delivery.destination === email);
      if (found) return found;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`no ${operation} code for ${email} in cognito-local's output: ${JSON.stringify(deliveries)}`);
  }

  test("reports the sign-up code it keeps for the new account, then the password-reset code", async () => {
    const client = cognitoClient(cognito.endpoint, "us-east-1");
    const email = "new-shopper@example.com";
    await client.send(
      new SignUpCommand({
        ClientId: pool.userPoolClientId,
        Username: email,
        Password: "Secret123",
        UserAttributes: [{ Name: "email", Value: email }],
      }),
    );
    const signUp = await deliveryFor("SignUp", email);
    expect(signUp.code).toMatch(/^\d{6}$/);
    expect(signUp.code).toBe(confirmationCode(cognito.dbDir, pool.userPoolId, email));

    await client.send(new ForgotPasswordCommand({ ClientId: pool.userPoolClientId, Username: email }));
    const reset = await deliveryFor("ForgotPassword", email);
    expect(reset.code).toBe(confirmationCode(cognito.dbDir, pool.userPoolId, email));
  });
});
