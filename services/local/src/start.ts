import { mkdirSync } from "node:fs";
import { describeCodeDelivery, type CodeDelivery } from "./code-delivery";
import { javaMajorVersion, JAVA_INSTALL_HINT } from "./java";
import { DEMO_SHOPPER } from "./demo-catalog";
import { STOP_GRACE_MS } from "./dynamo-local";
import { announceRunning, clearRunning, LOCAL_DATA_DIR, runningStack } from "@flash-sale/services/running-stack";
import { functionLimitsFromEnv } from "./function-limits";
import { LOOPBACK, startLocalStack } from "./stack";
import { buildStorefrontIfStale } from "./storefront-build";

/** `npm start`: the whole platform on this machine, with demo data, until Ctrl-C. */

function port(name: string, fallback: number): number {
  const value = process.env[name];
  if (value === undefined || value === "") return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1 || parsed > 65_535) fail(`${name}=${value} is not a TCP port (1-65535).`);
  return parsed;
}

function fail(message: string): never {
  process.stderr.write(`\n✖ ${message}\n\n`);
  process.exit(1);
}

async function main(): Promise<void> {
  const running = runningStack();
  if (running)
    fail(
      `The platform is already running (pid ${running.pid}) at ${running.webUrl}. Stop it with Ctrl-C in its terminal first.`,
    );
  const java = javaMajorVersion();
  if (java === undefined) fail(`Java was not found. ${JAVA_INSTALL_HINT}`);
  if (java < 11) fail(`Java ${java} is too old. ${JAVA_INSTALL_HINT}`);

  const ports = {
    webPort: port("WEB_PORT", 4200),
    apiPort: port("API_PORT", 3000),
    dynamoPort: port("DYNAMODB_PORT", 8000),
    cognitoPort: port("COGNITO_PORT", 9229),
    paymentPort: port("PAYMENTS_PORT", 12111),
  };
  if (!buildStorefrontIfStale((message) => process.stdout.write(`• ${message}\n`))) {
    process.stdout.write(
      "! The storefront build failed; the API still starts. Fix the build (npm run build -w web) and reload the page.\n",
    );
  }
  mkdirSync(LOCAL_DATA_DIR, { recursive: true });
  process.stdout.write("• Starting DynamoDB Local, cognito-local, the payment stand-in, the API and the storefront…\n");
  const host = process.env.HOST || LOOPBACK;
  if (host !== LOOPBACK) {
    process.stdout.write(
      `! HOST=${host}: the API and storefront are reachable from other machines. Anyone who can reach them can sign up, and cognito-local's signing key is public (it ships in node_modules), so they could mint tokens. Use this only on a network you trust.\n`,
    );
  }
  let functionLimits: ReturnType<typeof functionLimitsFromEnv>;
  try {
    functionLimits = functionLimitsFromEnv();
  } catch (error) {
    fail((error as Error).message);
  }
  // cognito-local sends no e-mail: its codes are printed here, where the shopper can copy them.
  const onCodeDelivery = (delivery: CodeDelivery) => process.stdout.write(describeCodeDelivery(delivery));
  const stack = await startLocalStack({
    dataDir: LOCAL_DATA_DIR,
    ...ports,
    host,
    demo: true,
    warm: true,
    functionLimits,
    onCodeDelivery,
  }).catch((error: Error) => fail(error.message));
  announceRunning({
    pid: process.pid,
    webUrl: stack.webUrl,
    apiUrl: stack.apiUrl,
    dynamoEndpoint: stack.dynamoEndpoint,
    cognitoEndpoint: stack.cognitoEndpoint,
    userPoolId: stack.userPoolId,
    userPoolClientId: stack.userPoolClientId,
    tableName: stack.tableName,
    region: stack.region,
    payments: stack.payments,
    meterFile: stack.meterFile,
  });

  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    process.stdout.write("\n• Stopping…\n");
    // DynamoDB Local gets time to close its database (a SIGKILL can lose acknowledged orders); past that,
    // children are killed on exit anyway.
    await Promise.race([stack.stop(), new Promise((resolve) => setTimeout(resolve, STOP_GRACE_MS + 5_000))]);
    process.stdout.write("• Stopped; data kept in .local/\n");
    clearRunning();
    process.exit(0);
  };
  process.on("SIGINT", shutdown);
  process.on("SIGTERM", shutdown);

  process.stdout.write(`
  Flash sale is running.

    Storefront   ${stack.webUrl}
    API          ${stack.apiUrl}   (Bearer access token required; see README)
    Demo login   ${DEMO_SHOPPER.email} / ${DEMO_SHOPPER.password}

    Cognito      ${stack.cognitoEndpoint}   pool ${stack.userPoolId}, client ${stack.userPoolClientId}
    DynamoDB     ${stack.dynamoEndpoint}   table ${stack.tableName}
    Payments     ${stack.payments.url}   (Stripe stand-in; test cards 4242 4242 4242 4242 pays, 4000 0000 0000 0002 is declined)
    Data         ${LOCAL_DATA_DIR}   (kept across restarts; delete it to start afresh)

    Stock        npm run stock -- status        npm run stock -- load <catalog.json>

  One JSON line per API request follows, and each sign-up or password-reset code
  (cognito-local sends no e-mail). Ctrl-C stops everything.

`);
}

void main();
