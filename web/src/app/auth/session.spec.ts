import { TestBed } from '@angular/core/testing';
import { fakeJwt } from '../../testing/fixtures';
import { CognitoClient, CognitoError, type AuthTokens } from './cognito';
import { REFRESH_MARGIN_MS, REFRESH_RETRY_MS, SESSION_STORAGE_KEY, Session } from './session';

const NOW = Date.parse('2030-01-01T10:00:00.000Z');
const HOUR = 3_600_000;

function tokens(expiresAt: number, refreshToken: string | undefined = 'refresh-1'): AuthTokens {
  return {
    accessToken: fakeJwt({ sub: 'shopper-1', exp: expiresAt / 1000 }),
    idToken: 'id',
    ...(refreshToken ? { refreshToken } : {}),
  };
}

function setUp(cognito: Partial<CognitoClient>): Session {
  TestBed.configureTestingModule({ providers: [{ provide: CognitoClient, useValue: cognito }] });
  return TestBed.inject(Session);
}

describe('Session', () => {
  beforeEach(() => {
    jest.useFakeTimers({ now: NOW });
    localStorage.clear();
  });

  afterEach(() => {
    TestBed.resetTestingModule();
    jest.useRealTimers();
  });

  it('signs in, keeps the tokens in localStorage and hands out the access token', async () => {
    const signIn = jest.fn().mockResolvedValue(tokens(NOW + HOUR));
    const session = setUp({ signIn });

    await session.signIn('ada@example.com', 'Secret123');

    expect(signIn).toHaveBeenCalledWith('ada@example.com', 'Secret123');
    expect(session.signedIn()).toBe(true);
    expect(session.email()).toBe('ada@example.com');
    const stored = JSON.parse(localStorage.getItem(SESSION_STORAGE_KEY)!);
    expect(stored).toMatchObject({
      email: 'ada@example.com',
      sub: 'shopper-1',
      refreshToken: 'refresh-1',
      expiresAt: NOW + HOUR,
    });
    expect(await session.accessToken()).toBe(stored.accessToken);
  });

  it('survives a reload: a new instance starts signed in from localStorage', async () => {
    await setUp({ signIn: jest.fn().mockResolvedValue(tokens(NOW + HOUR)) }).signIn('ada@example.com', 'Secret123');
    TestBed.resetTestingModule();

    const reloaded = setUp({});

    expect(reloaded.signedIn()).toBe(true);
    expect(reloaded.email()).toBe('ada@example.com');
  });

  it('refreshes shortly before the access token expires and keeps the refresh token', async () => {
    const refresh = jest.fn().mockResolvedValue(tokens(NOW + 2 * HOUR, undefined));
    const session = setUp({ signIn: jest.fn().mockResolvedValue(tokens(NOW + HOUR)), refresh });
    await session.signIn('ada@example.com', 'Secret123');

    await jest.advanceTimersByTimeAsync(HOUR - REFRESH_MARGIN_MS - 1);
    expect(refresh).not.toHaveBeenCalled();
    await jest.advanceTimersByTimeAsync(1);

    expect(refresh).toHaveBeenCalledWith('refresh-1');
    const stored = JSON.parse(localStorage.getItem(SESSION_STORAGE_KEY)!);
    expect(stored.expiresAt).toBe(NOW + 2 * HOUR);
    expect(stored.refreshToken).toBe('refresh-1');
  });

  it('refreshes at once when restored with an expired token', async () => {
    localStorage.setItem(
      SESSION_STORAGE_KEY,
      JSON.stringify({
        email: 'ada@example.com',
        sub: 'shopper-1',
        accessToken: 'old',
        idToken: 'id',
        refreshToken: 'refresh-1',
        expiresAt: NOW - 1,
      }),
    );
    const refresh = jest.fn().mockResolvedValue(tokens(NOW + HOUR, undefined));
    const session = setUp({ refresh });

    const token = await session.accessToken();

    expect(refresh).toHaveBeenCalledTimes(1);
    expect(token).not.toBe('old');
    await jest.advanceTimersByTimeAsync(0);
    expect(refresh).toHaveBeenCalledTimes(1); // the scheduled refresh joined the one in flight
  });

  it('signs out, marked expired, when Cognito refuses the refresh token', async () => {
    const refresh = jest
      .fn()
      .mockRejectedValue(new CognitoError('NotAuthorizedException', 'Refresh Token has expired'));
    const session = setUp({ signIn: jest.fn().mockResolvedValue(tokens(NOW + HOUR)), refresh });
    await session.signIn('ada@example.com', 'Secret123');

    await jest.advanceTimersByTimeAsync(HOUR);

    expect(session.signedIn()).toBe(false);
    expect(session.endReason()).toBe('expired');
    expect(localStorage.getItem(SESSION_STORAGE_KEY)).toBeNull();
  });

  it('keeps the session and tries again later when Cognito cannot be reached', async () => {
    const refresh = jest
      .fn()
      .mockRejectedValueOnce(new TypeError('Failed to fetch'))
      .mockResolvedValue(tokens(NOW + 3 * HOUR, undefined));
    const session = setUp({ signIn: jest.fn().mockResolvedValue(tokens(NOW + HOUR)), refresh });
    await session.signIn('ada@example.com', 'Secret123');

    await jest.advanceTimersByTimeAsync(HOUR - REFRESH_MARGIN_MS);
    expect(refresh).toHaveBeenCalledTimes(1);
    expect(session.signedIn()).toBe(true);

    await jest.advanceTimersByTimeAsync(REFRESH_RETRY_MS);
    expect(refresh).toHaveBeenCalledTimes(2);
    expect(JSON.parse(localStorage.getItem(SESSION_STORAGE_KEY)!).expiresAt).toBe(NOW + 3 * HOUR);
  });

  it('signs out on request: nothing stored, no token, not marked expired', async () => {
    const session = setUp({
      signIn: jest.fn().mockResolvedValue(tokens(NOW + HOUR)),
      revokeToken: jest.fn().mockResolvedValue(undefined),
    });
    await session.signIn('ada@example.com', 'Secret123');

    session.signOut();

    expect(session.signedIn()).toBe(false);
    expect(session.endReason()).toBeUndefined();
    expect(localStorage.getItem(SESSION_STORAGE_KEY)).toBeNull();
    expect(await session.accessToken()).toBeUndefined();
  });

  it('revokes the refresh token at Cognito when the shopper signs out', async () => {
    const revokeToken = jest.fn().mockResolvedValue(undefined);
    const session = setUp({ signIn: jest.fn().mockResolvedValue(tokens(NOW + HOUR)), revokeToken });
    await session.signIn('ada@example.com', 'Secret123');

    session.signOut();
    await session.revoking;

    expect(revokeToken).toHaveBeenCalledWith('refresh-1');
  });

  it('still signs out when the revocation fails (offline, or a Cognito without RevokeToken)', async () => {
    const revokeToken = jest
      .fn()
      .mockRejectedValue(new CognitoError('Unsupported', 'Cognito Local unsupported feature'));
    const session = setUp({ signIn: jest.fn().mockResolvedValue(tokens(NOW + HOUR)), revokeToken });
    await session.signIn('ada@example.com', 'Secret123');

    session.signOut();
    await expect(session.revoking).resolves.toBeUndefined();

    expect(session.signedIn()).toBe(false);
    expect(localStorage.getItem(SESSION_STORAGE_KEY)).toBeNull();
  });

  it('revokes nothing when the session ended because its tokens were refused', async () => {
    const revokeToken = jest.fn();
    const session = setUp({ signIn: jest.fn().mockResolvedValue(tokens(NOW + HOUR)), revokeToken });
    await session.signIn('ada@example.com', 'Secret123');

    session.signOut('expired');

    expect(revokeToken).not.toHaveBeenCalled();
  });

  it('follows a sign-out made in another tab', async () => {
    const session = setUp({ signIn: jest.fn().mockResolvedValue(tokens(NOW + HOUR)) });
    await session.signIn('ada@example.com', 'Secret123');

    localStorage.removeItem(SESSION_STORAGE_KEY);
    window.dispatchEvent(new StorageEvent('storage', { key: SESSION_STORAGE_KEY }));

    expect(session.signedIn()).toBe(false);
  });
});
