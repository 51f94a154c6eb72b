import { Injectable, inject } from '@angular/core';
import { Router } from '@angular/router';

/** Pages a return URL must never name: going back to them after signing in would loop. */
const AUTH_PAGES = ['/sign-in', '/sign-up', '/forgot-password'];

/**
 * Where to go after signing in or up: only a path of this app, so a crafted link cannot send the shopper to
 * another site. Anything else (another origin, `//host`, `/\host`, which browsers read as `//host`, control
 * characters, an auth page) gives the sale's first page.
 */
export function safeReturnUrl(url: string | undefined | null): string {
  if (!url?.startsWith('/') || url.startsWith('//') || [...url].some(unsafeInPath)) return '/';
  const base = 'https://app.invalid';
  let parsed: URL;
  try {
    parsed = new URL(url, base);
  } catch {
    return '/';
  }
  if (parsed.origin !== base) return '/';
  if (AUTH_PAGES.some((page) => parsed.pathname === page || parsed.pathname.startsWith(`${page}/`))) return '/';
  return `${parsed.pathname}${parsed.search}${parsed.hash}`;
}

/** A backslash (browsers read `/\` as `//`) or a control character (stripped by URL parsers, hiding what follows). */
function unsafeInPath(character: string): boolean {
  const code = character.charCodeAt(0);
  return character === '\\' || code < 0x20 || code === 0x7f;
}

/** The query parameters that carry `url` through sign-in or sign-up (none when it is the first page anyway). */
export function returnParams(url: string | undefined | null): Record<string, string> {
  const safe = safeReturnUrl(url);
  return safe === '/' ? {} : { returnUrl: safe };
}

/**
 * Asks a visitor to sign in at the moment it is needed (Buy, joining a line), to come back to the page they
 * were on: the product, its quantity menu and Buy, now for them.
 */
@Injectable({ providedIn: 'root' })
export class SignInPrompt {
  private readonly router = inject(Router);

  ask(): Promise<boolean> {
    return this.router.navigate(['/sign-in'], { queryParams: returnParams(this.router.url) });
  }
}
