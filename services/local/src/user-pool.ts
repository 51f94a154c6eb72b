import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DescribeUserPoolClientCommand,
  InitiateAuthCommand,
  UsernameExistsException,
} from "@aws-sdk/client-cognito-identity-provider";
import { existsSync, readFileSync } from "node:fs";
import { SHOPPER_PASSWORD_POLICY } from "@flash-sale/services/contract";
import { join } from "node:path";

export interface PoolIds {
  userPoolId: string;
  userPoolClientId: string;
}

export interface ShopperSession {
  sub: string;
  accessToken: string;
  idToken: string;
  refreshToken: string;
}

export function cognitoClient(endpoint: string, region: string): CognitoIdentityProviderClient {
  return new CognitoIdentityProviderClient({
    endpoint,
    region,
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
}

/** Reuses the saved pool and client when cognito-local still has them; otherwise creates both, shaped like the deployed ones. */
export async function ensureUserPool(
  cognito: CognitoIdentityProviderClient,
  saved: PoolIds | undefined,
): Promise<PoolIds> {
  if (saved) {
    try {
      await cognito.send(
        new DescribeUserPoolClientCommand({ UserPoolId: saved.userPoolId, ClientId: saved.userPoolClientId }),
      );
      return saved;
    } catch {
      // The saved ids are stale (data folder wiped): make new ones below.
    }
  }
  const pool = await cognito.send(
    new CreateUserPoolCommand({
      PoolName: "flash-sale-local",
      UsernameAttributes: ["email"],
      AutoVerifiedAttributes: ["email"],
      Policies: {
        PasswordPolicy: {
          MinimumLength: SHOPPER_PASSWORD_POLICY.minimumLength,
          RequireLowercase: SHOPPER_PASSWORD_POLICY.requireLowercase,
          RequireUppercase: SHOPPER_PASSWORD_POLICY.requireUppercase,
          RequireNumbers: SHOPPER_PASSWORD_POLICY.requireNumbers,
          RequireSymbols: SHOPPER_PASSWORD_POLICY.requireSymbols,
        },
      },
    }),
  );
  const userPoolId = pool.UserPool?.Id;
  if (!userPoolId) throw new Error("cognito-local created a user pool without an id");
  const client = await cognito.send(
    new CreateUserPoolClientCommand({
      UserPoolId: userPoolId,
      ClientName: "storefront",
      ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
      GenerateSecret: false,
    }),
  );
  const userPoolClientId = client.UserPoolClient?.ClientId;
  if (!userPoolClientId) throw new Error("cognito-local created an app client without an id");
  return { userPoolId, userPoolClientId };
}

/** A confirmed shopper with a known password, signed in: what the demo and the tests need. */
export async function createShopper(
  cognito: CognitoIdentityProviderClient,
  ids: PoolIds,
  email: string,
  password: string,
): Promise<ShopperSession> {
  try {
    await cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: ids.userPoolId,
        Username: email,
        UserAttributes: [
          { Name: "email", Value: email },
          { Name: "email_verified", Value: "true" },
        ],
        MessageAction: "SUPPRESS",
      }),
    );
  } catch (error) {
    if (!(error instanceof UsernameExistsException)) throw error;
  }
  await cognito.send(
    new AdminSetUserPasswordCommand({
      UserPoolId: ids.userPoolId,
      Username: email,
      Password: password,
      Permanent: true,
    }),
  );
  return signIn(cognito, ids, email, password);
}

export async function signIn(
  cognito: CognitoIdentityProviderClient,
  ids: PoolIds,
  email: string,
  password: string,
): Promise<ShopperSession> {
  const auth = await cognito.send(
    new InitiateAuthCommand({
      ClientId: ids.userPoolClientId,
      AuthFlow: "USER_PASSWORD_AUTH",
      AuthParameters: { USERNAME: email, PASSWORD: password },
    }),
  );
  const result = auth.AuthenticationResult;
  if (!result?.AccessToken || !result.IdToken || !result.RefreshToken)
    throw new Error(`signing in ${email} returned no tokens`);
  const user = await cognito.send(new AdminGetUserCommand({ UserPoolId: ids.userPoolId, Username: email }));
  const sub = user.UserAttributes?.find((attribute) => attribute.Name === "sub")?.Value;
  if (!sub) throw new Error(`${email} has no sub attribute`);
  return { sub, accessToken: result.AccessToken, idToken: result.IdToken, refreshToken: result.RefreshToken };
}

/**
 * The code cognito-local "e-mailed" at sign-up. It only prints it, and keeps it in the pool's data
 * file, which is where tests and the demo read it from.
 */
export function confirmationCode(dbDir: string, userPoolId: string, username: string): string | undefined {
  const file = join(dbDir, `${userPoolId}.json`);
  if (!existsSync(file)) return undefined;
  const data = JSON.parse(readFileSync(file, "utf8")) as {
    Users?: Record<
      string,
      { Username?: string; ConfirmationCode?: string; Attributes?: { Name: string; Value: string }[] }
    >;
  };
  const user = Object.values(data.Users ?? {}).find(
    (candidate) =>
      candidate.Username === username ||
      candidate.Attributes?.some((attribute) => attribute.Name === "email" && attribute.Value === username),
  );
  return user?.ConfirmationCode;
}
