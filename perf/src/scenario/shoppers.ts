import { decodeJwt } from "jose";
import { CognitoIdentityProviderClient, InitiateAuthCommand } from "@aws-sdk/client-cognito-identity-provider";
import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { createShopper } from "@flash-sale/local/user-pool";

/** Git-ignored (perf/.gitignore): shoppers' passwords and tokens, reused between runs. PERF_CACHE_DIR moves it (tests). */
export const cacheDir = () => process.env.PERF_CACHE_DIR ?? resolve(__dirname, "../../.cache");

export interface Shopper {
  email: string;
  sub: string;
  accessToken: string;
  /** Epoch ms the access token stops being accepted. */
  expiresAt: number;
}

interface ShopperCache {
  userPoolId: string;
  password: string;
  shoppers: Record<string, Shopper>;
}

export interface PoolTarget {
  userPoolId: string;
  clientId: string;
  region: string;
  /** cognito-local's endpoint; absent for the real Cognito (credentials from the environment). */
  endpoint?: string;
}

export function cognitoFor(target: PoolTarget): CognitoIdentityProviderClient {
  return new CognitoIdentityProviderClient({
    region: target.region,
    ...(target.endpoint
      ? { endpoint: target.endpoint, credentials: { accessKeyId: "local", secretAccessKey: "local" } }
      : {}),
    maxAttempts: 8,
  });
}

/** Tokens this close to expiry are renewed before a run rather than risk 401s mid-sale. */
const RENEW_BEFORE_MS = 15 * 60_000;

/**
 * `count` confirmed shoppers with valid access tokens. Created in bulk (AdminCreateUser + permanent
 * AdminSetUserPassword, via services' createShopper), signed in with USER_PASSWORD_AUTH, a few at a time, and cached per user pool so the
 * next run reuses users and tokens instead of hammering the pool.
 */
export async function ensureShoppers(
  target: PoolTarget,
  count: number,
  options: { concurrency?: number; log?: (line: string) => void; cacheDir?: string } = {},
): Promise<Shopper[]> {
  const file = cacheFile(target, options.cacheDir ?? cacheDir());
  const cache = readCache(file, target.userPoolId);
  const cognito = cognitoFor(target);
  const emails = Array.from({ length: count }, (_, i) => shopperEmail(i));
  const now = Date.now();
  const issuer = expectedIssuer(target);
  const usable = (shopper: Shopper | undefined) =>
    shopper !== undefined &&
    shopper.expiresAt - now >= RENEW_BEFORE_MS &&
    decodeJwt(shopper.accessToken).iss === issuer;
  const todo = emails.filter((email) => !usable(cache.shoppers[email]));
  if (todo.length > 0)
    options.log?.(
      `shoppers: ${count - todo.length} cached, signing in ${todo.length} (creating those that do not exist yet)`,
    );
  let done = 0;
  const worker = async () => {
    for (let email = todo.pop(); email !== undefined; email = todo.pop()) {
      cache.shoppers[email] = await signInOrCreate(
        cognito,
        target,
        email,
        cache.password,
        cache.shoppers[email] !== undefined,
      );
      if (++done % 200 === 0) {
        options.log?.(`shoppers: ${done} signed in`);
        writeCache(file, cache);
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: options.concurrency ?? 8 }, worker));
  } finally {
    writeCache(file, cache);
    cognito.destroy();
  }
  return emails.map((email) => cache.shoppers[email]!);
}

async function signInOrCreate(
  cognito: CognitoIdentityProviderClient,
  target: PoolTarget,
  email: string,
  password: string,
  known: boolean,
): Promise<Shopper> {
  if (known) {
    try {
      return await signIn(cognito, target, email, password);
    } catch {
      // The pool was recreated or the user removed: create it again below.
    }
  }
  // The same admin creation the local stack uses for its demo shopper (create, permanent password, sign in).
  const session = await createShopper(
    cognito,
    { userPoolId: target.userPoolId, userPoolClientId: target.clientId },
    email,
    password,
  );
  return fromAccessToken(email, session.accessToken, 3600);
}

export async function signIn(
  cognito: CognitoIdentityProviderClient,
  target: PoolTarget,
  email: string,
  password: string,
): Promise<Shopper> {
  const auth = await cognito.send(
    new InitiateAuthCommand({
      ClientId: target.clientId,
      AuthFlow: "USER_PASSWORD_AUTH",
      AuthParameters: { USERNAME: email, PASSWORD: password },
    }),
  );
  const accessToken = auth.AuthenticationResult?.AccessToken;
  if (!accessToken) throw new Error(`signing in ${email} returned no access token`);
  return fromAccessToken(email, accessToken, auth.AuthenticationResult?.ExpiresIn ?? 3600);
}

function fromAccessToken(email: string, accessToken: string, expiresInSeconds: number): Shopper {
  const claims = decodeJwt(accessToken);
  if (typeof claims.sub !== "string") throw new Error(`${email}'s access token has no sub claim`);
  const expiresAt = typeof claims.exp === "number" ? claims.exp * 1000 : Date.now() + expiresInSeconds * 1000;
  return { email, sub: claims.sub, accessToken, expiresAt };
}

/** The issuer the API's authorizer expects; cognito-local names its own host and port. */
function expectedIssuer(target: PoolTarget): string {
  return target.endpoint
    ? `${target.endpoint}/${target.userPoolId}`
    : `https://cognito-idp.${target.region}.amazonaws.com/${target.userPoolId}`;
}

function cacheFile(target: PoolTarget, dir: string): string {
  const id = createHash("sha256")
    .update(`${target.endpoint ?? "aws"}|${target.region}|${target.userPoolId}|${target.clientId}`)
    .digest("hex")
    .slice(0, 16);
  return join(dir, `shoppers-${id}.json`);
}

/** The shared password of the cached shoppers of a pool (the fleet hands it to its agents). */
export function cachedPassword(target: PoolTarget, dir = cacheDir()): string {
  return readCache(cacheFile(target, dir), target.userPoolId).password;
}

export const shopperEmail = (i: number) => `shopper-${String(i).padStart(5, "0")}@perf.flash-sale.test`;

function readCache(file: string, userPoolId: string): ShopperCache {
  if (existsSync(file)) {
    try {
      const cache = JSON.parse(readFileSync(file, "utf8")) as ShopperCache;
      if (cache.userPoolId === userPoolId && cache.password) return cache;
    } catch {
      // Unreadable cache: start over.
    }
  }
  // Meets the pool's policy (upper, lower, digit, 8+) and is unique to this machine's cache.
  return { userPoolId, password: `Perf-${randomBytes(9).toString("base64url")}9a`, shoppers: {} };
}

function writeCache(file: string, cache: ShopperCache): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(cache), { mode: 0o600 });
}
