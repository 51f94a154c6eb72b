import { TestBed } from '@angular/core/testing';
import { TEST_CONFIG } from '../../testing/fixtures';
import { RuntimeConfig } from '../core/config';
import { CognitoClient, CognitoError } from './cognito';

/** jsdom has no fetch Response; the client reads only these members. */
function respond(status: number, body: unknown): jest.Mock {
  const headers = { get: () => null };
  return jest
    .fn()
    .mockResolvedValue({ ok: status >= 200 && status < 300, status, headers, text: async () => JSON.stringify(body) });
}

describe('CognitoClient', () => {
  let client: CognitoClient;
  const realFetch = globalThis.fetch;

  beforeEach(() => {
    TestBed.inject(RuntimeConfig).set(TEST_CONFIG);
    client = TestBed.inject(CognitoClient);
  });

  afterEach(() => {
    globalThis.fetch = realFetch;
  });

  it('signs in with USER_PASSWORD_AUTH over the JSON API', async () => {
    const fetchMock = respond(200, { AuthenticationResult: { AccessToken: 'a', IdToken: 'i', RefreshToken: 'r' } });
    globalThis.fetch = fetchMock;

    const tokens = await client.signIn('ada@example.com', 'Secret123');

    expect(tokens).toEqual({ accessToken: 'a', idToken: 'i', refreshToken: 'r' });
    const [url, init] = fetchMock.mock.calls[0] as [string, RequestInit];
    expect(url).toBe(TEST_CONFIG.cognitoEndpoint);
    expect(init.headers).toMatchObject({
      'X-Amz-Target': 'AWSCognitoIdentityProviderService.InitiateAuth',
      'Content-Type': 'application/x-amz-json-1.1',
    });
    expect(JSON.parse(init.body as string)).toEqual({
      ClientId: 'client-1',
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: 'ada@example.com', PASSWORD: 'Secret123' },
    });
  });

  it('refreshes with REFRESH_TOKEN_AUTH; the answer carries no new refresh token', async () => {
    const fetchMock = respond(200, { AuthenticationResult: { AccessToken: 'a2', IdToken: 'i2' } });
    globalThis.fetch = fetchMock;

    expect(await client.refresh('r')).toEqual({ accessToken: 'a2', idToken: 'i2' });
    expect(JSON.parse((fetchMock.mock.calls[0] as [string, RequestInit])[1].body as string).AuthParameters).toEqual({
      REFRESH_TOKEN: 'r',
    });
  });

  it('signs up with the email as username and attribute, and reports whether a code is needed', async () => {
    const fetchMock = respond(200, { UserConfirmed: false, UserSub: 'sub' });
    globalThis.fetch = fetchMock;

    expect(await client.signUp('ada@example.com', 'Secret123')).toEqual({ confirmed: false });
    expect(JSON.parse((fetchMock.mock.calls[0] as [string, RequestInit])[1].body as string)).toMatchObject({
      Username: 'ada@example.com',
      UserAttributes: [{ Name: 'email', Value: 'ada@example.com' }],
    });
  });

  it.each([
    ['forgotPassword', ['ada@example.com'], 'ForgotPassword', { ClientId: 'client-1', Username: 'ada@example.com' }],
    [
      'confirmForgotPassword',
      ['ada@example.com', '123456', 'NewSecret1'],
      'ConfirmForgotPassword',
      { ClientId: 'client-1', Username: 'ada@example.com', ConfirmationCode: '123456', Password: 'NewSecret1' },
    ],
    [
      'resendConfirmationCode',
      ['ada@example.com'],
      'ResendConfirmationCode',
      { ClientId: 'client-1', Username: 'ada@example.com' },
    ],
    ['revokeToken', ['refresh-1'], 'RevokeToken', { ClientId: 'client-1', Token: 'refresh-1' }],
  ] as const)('%s sends %s as the JSON API expects', async (method, args, operation, body) => {
    const fetchMock = respond(200, {});
    globalThis.fetch = fetchMock;

    await (client[method] as (...values: string[]) => Promise<void>)(...args);

    const [, init] = fetchMock.mock.calls[0] as [string, RequestInit];
    expect(init.headers).toMatchObject({ 'X-Amz-Target': `AWSCognitoIdentityProviderService.${operation}` });
    expect(JSON.parse(init.body as string)).toEqual(body);
  });

  it('raises the exception Cognito names, namespaced or not', async () => {
    globalThis.fetch = respond(400, { __type: 'NotAuthorizedException', message: 'Incorrect username or password.' });
    await expect(client.signIn('ada@example.com', 'nope')).rejects.toMatchObject({ type: 'NotAuthorizedException' });

    globalThis.fetch = respond(400, { __type: 'com.amazonaws.cognito#CodeMismatchException', message: 'Invalid code' });
    const error = await client.confirmSignUp('ada@example.com', '000000').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CognitoError);
    expect((error as CognitoError).type).toBe('CodeMismatchException');
  });
});
