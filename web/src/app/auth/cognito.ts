import { Injectable, inject } from '@angular/core';
import { RuntimeConfig } from '../core/config';

/** Tokens from a successful InitiateAuth. A refresh returns no new refresh token. */
export interface AuthTokens {
  accessToken: string;
  idToken: string;
  refreshToken?: string;
}

/** A Cognito refusal, named by its exception type (e.g. `NotAuthorizedException`). */
export class CognitoError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
    this.name = 'CognitoError';
  }
}

/**
 * The Cognito user-pool calls the storefront needs, over Cognito's public JSON API with `fetch`.
 * The same requests work against cognito-local and the deployed pool; they are what the AWS SDK
 * sends for these unauthenticated operations, without its ~167 kB of browser bundle (see README).
 */
@Injectable({ providedIn: 'root' })
export class CognitoClient {
  private readonly config = inject(RuntimeConfig);

  /** Resolves whether the user is already confirmed (pools that auto-confirm) or needs the e-mailed code. */
  async signUp(email: string, password: string): Promise<{ confirmed: boolean }> {
    const result = await this.call<{ UserConfirmed?: boolean }>('SignUp', {
      ClientId: this.config.value.userPoolClientId,
      Username: email,
      Password: password,
      UserAttributes: [{ Name: 'email', Value: email }],
    });
    return { confirmed: result.UserConfirmed === true };
  }

  async confirmSignUp(email: string, code: string): Promise<void> {
    await this.call('ConfirmSignUp', {
      ClientId: this.config.value.userPoolClientId,
      Username: email,
      ConfirmationCode: code,
    });
  }

  /** Sends a new sign-up code. cognito-local 5.3.0 lacks this operation (CognitoError `Unsupported`). */
  async resendConfirmationCode(email: string): Promise<void> {
    await this.call('ResendConfirmationCode', { ClientId: this.config.value.userPoolClientId, Username: email });
  }

  /** E-mails a code to set a new password with. */
  async forgotPassword(email: string): Promise<void> {
    await this.call('ForgotPassword', { ClientId: this.config.value.userPoolClientId, Username: email });
  }

  async confirmForgotPassword(email: string, code: string, password: string): Promise<void> {
    await this.call('ConfirmForgotPassword', {
      ClientId: this.config.value.userPoolClientId,
      Username: email,
      ConfirmationCode: code,
      Password: password,
    });
  }

  /** Ends the refresh token (and, in Cognito, the tokens issued from it) for good: sign-out. */
  async revokeToken(refreshToken: string): Promise<void> {
    await this.call('RevokeToken', { ClientId: this.config.value.userPoolClientId, Token: refreshToken });
  }

  signIn(email: string, password: string): Promise<AuthTokens> {
    return this.initiateAuth('USER_PASSWORD_AUTH', { USERNAME: email, PASSWORD: password });
  }

  refresh(refreshToken: string): Promise<AuthTokens> {
    return this.initiateAuth('REFRESH_TOKEN_AUTH', { REFRESH_TOKEN: refreshToken });
  }

  private async initiateAuth(flow: string, parameters: Record<string, string>): Promise<AuthTokens> {
    const result = await this.call<{
      AuthenticationResult?: { AccessToken?: string; IdToken?: string; RefreshToken?: string };
      ChallengeName?: string;
    }>('InitiateAuth', { ClientId: this.config.value.userPoolClientId, AuthFlow: flow, AuthParameters: parameters });
    const tokens = result.AuthenticationResult;
    if (!tokens?.AccessToken || !tokens.IdToken) {
      // e.g. NEW_PASSWORD_REQUIRED for admin-created users: not a flow this storefront offers.
      throw new CognitoError(
        result.ChallengeName ?? 'NoTokens',
        `Cognito asked for ${result.ChallengeName ?? 'another step'} instead of signing in`,
      );
    }
    return {
      accessToken: tokens.AccessToken,
      idToken: tokens.IdToken,
      ...(tokens.RefreshToken ? { refreshToken: tokens.RefreshToken } : {}),
    };
  }

  private async call<T>(operation: string, body: object): Promise<T> {
    const response = await fetch(this.config.value.cognitoEndpoint, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-amz-json-1.1',
        'X-Amz-Target': `AWSCognitoIdentityProviderService.${operation}`,
      },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    const parsed = parseObject(text);
    if (response.ok) return parsed as T;
    throw new CognitoError(
      errorType(parsed, response.headers),
      String(parsed['message'] ?? parsed['Message'] ?? `${operation} failed with ${response.status}`),
    );
  }
}

/** Cognito names the exception in `__type` (sometimes namespaced `prefix#Name`) or in a header. */
function errorType(body: Record<string, unknown>, headers: Headers): string {
  const raw = String(body['__type'] ?? headers.get('x-amzn-errortype') ?? 'UnknownError');
  return raw.split('#').pop()!.split(':')[0]!;
}

function parseObject(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
