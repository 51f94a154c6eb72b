import { DestroyRef, Injectable, computed, inject, signal } from '@angular/core';
import { CognitoClient, CognitoError, type AuthTokens } from './cognito';
import { decodeClaims } from './jwt';

/** What a signed-in shopper keeps in localStorage, so a reload does not sign them out. */
export interface StoredSession {
  email: string;
  sub: string;
  accessToken: string;
  idToken: string;
  refreshToken: string;
  /** When the access token expires, ms since the epoch (from its `exp` claim). */
  expiresAt: number;
}

export const SESSION_STORAGE_KEY = 'flash-sale.session';
/** Refresh this long before the access token expires, so no API call carries an expired token. */
export const REFRESH_MARGIN_MS = 60_000;
/** After a refresh fails for lack of network, try again this much later. */
export const REFRESH_RETRY_MS = 30_000;

/**
 * The signed-in shopper: signs in and out through Cognito, keeps the tokens across reloads and
 * across tabs, and refreshes the access token shortly before it expires.
 */
@Injectable({ providedIn: 'root' })
export class Session {
  private readonly cognito = inject(CognitoClient);
  private readonly current = signal<StoredSession | null>(readStored());
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  private refreshing: Promise<StoredSession | null> | undefined;

  readonly signedIn = computed(() => this.current() !== null);
  /** Why the last session ended without the shopper asking: shown on the sign-in page. */
  readonly endReason = signal<'expired' | undefined>(undefined);
  readonly email = computed(() => this.current()?.email);

  constructor() {
    const onStorage = (event: StorageEvent) => {
      // Another tab signed in, refreshed or signed out: follow it.
      if (event.key === SESSION_STORAGE_KEY) this.adopt(readStored(), false);
    };
    window.addEventListener('storage', onStorage);
    inject(DestroyRef).onDestroy(() => {
      window.removeEventListener('storage', onStorage);
      clearTimeout(this.refreshTimer);
    });
    this.schedule();
  }

  async signIn(email: string, password: string): Promise<void> {
    const tokens = await this.cognito.signIn(email, password);
    this.endReason.set(undefined);
    this.adopt(toSession(email, tokens, undefined), true);
  }

  /**
   * `expired`: the shop or Cognito refused the tokens, rather than the shopper signing out. A sign-out
   * the shopper asked for also revokes the refresh token at Cognito, so a copy of it (another device,
   * a stolen backup of storage) cannot mint new tokens. This device forgets the tokens at once either
   * way; if Cognito cannot be reached or does not offer RevokeToken, the token lapses on its own.
   */
  signOut(reason?: 'expired'): void {
    const refreshToken = reason ? undefined : this.current()?.refreshToken;
    this.endReason.set(reason);
    this.adopt(null, true);
    if (refreshToken) this.revoking = this.cognito.revokeToken(refreshToken).catch(() => undefined);
  }

  /** The sign-out's revocation, while it is under way (for tests and for a page that must wait for it). */
  revoking: Promise<void> | undefined;

  /** A token to send now: refreshed first when it is (nearly) expired, e.g. after the laptop slept. */
  async accessToken(): Promise<string | undefined> {
    const session = this.current();
    if (!session) return undefined;
    if (session.expiresAt - Date.now() > REFRESH_MARGIN_MS / 2) return session.accessToken;
    return (await this.refresh())?.accessToken;
  }

  /** One refresh at a time; a refusal (refresh token expired or revoked) signs the shopper out. */
  refresh(): Promise<StoredSession | null> {
    this.refreshing ??= this.doRefresh().finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  private async doRefresh(): Promise<StoredSession | null> {
    const session = this.current();
    if (!session) return null;
    try {
      const tokens = await this.cognito.refresh(session.refreshToken);
      const renewed = toSession(session.email, tokens, session.refreshToken);
      this.adopt(renewed, true);
      return renewed;
    } catch (error) {
      if (error instanceof CognitoError) {
        this.signOut('expired');
        return null;
      }
      // Offline or Cognito unreachable: keep the session and try again later.
      clearTimeout(this.refreshTimer);
      this.refreshTimer = setTimeout(() => void this.refresh(), REFRESH_RETRY_MS);
      return session;
    }
  }

  private adopt(session: StoredSession | null, persist: boolean): void {
    this.current.set(session);
    if (persist) {
      if (session) localStorage.setItem(SESSION_STORAGE_KEY, JSON.stringify(session));
      else localStorage.removeItem(SESSION_STORAGE_KEY);
    }
    this.schedule();
  }

  private schedule(): void {
    clearTimeout(this.refreshTimer);
    const session = this.current();
    if (!session) return;
    const delay = Math.max(0, session.expiresAt - REFRESH_MARGIN_MS - Date.now());
    this.refreshTimer = setTimeout(() => void this.refresh(), delay);
  }
}

function toSession(email: string, tokens: AuthTokens, previousRefreshToken: string | undefined): StoredSession {
  const refreshToken = tokens.refreshToken ?? previousRefreshToken;
  if (!refreshToken) throw new CognitoError('NoRefreshToken', 'Cognito returned no refresh token');
  const claims = decodeClaims(tokens.accessToken);
  return {
    email,
    sub: claims.sub,
    accessToken: tokens.accessToken,
    idToken: tokens.idToken,
    refreshToken,
    expiresAt: claims.exp * 1000,
  };
}

function readStored(): StoredSession | null {
  try {
    const raw = localStorage.getItem(SESSION_STORAGE_KEY);
    if (!raw) return null;
    const value = JSON.parse(raw) as Partial<StoredSession>;
    const complete =
      typeof value.email === 'string' &&
      typeof value.accessToken === 'string' &&
      typeof value.refreshToken === 'string' &&
      typeof value.expiresAt === 'number';
    return complete ? (value as StoredSession) : null;
  } catch {
    return null;
  }
}
