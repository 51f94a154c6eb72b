/** The claims the storefront reads from a Cognito token; the API verifies the signature, not the browser. */
export interface TokenClaims {
  sub: string;
  /** Expiry, seconds since the epoch. */
  exp: number;
}

export function decodeClaims(token: string): TokenClaims {
  const payload = token.split('.')[1];
  if (!payload) throw new Error('not a JWT: no payload segment');
  const base64 = payload
    .replace(/-/g, '+')
    .replace(/_/g, '/')
    .padEnd(Math.ceil(payload.length / 4) * 4, '=');
  const json = new TextDecoder().decode(Uint8Array.from(atob(base64), (char) => char.charCodeAt(0)));
  const claims = JSON.parse(json) as Partial<TokenClaims>;
  if (typeof claims.sub !== 'string' || typeof claims.exp !== 'number')
    throw new Error('the token has no sub or exp claim');
  return { sub: claims.sub, exp: claims.exp };
}
