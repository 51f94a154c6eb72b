import { decodeJwt } from 'jose';

/** The claims the storefront reads from a Cognito token; the API verifies the signature, not the browser. */
export interface TokenClaims {
  sub: string;
  /** Expiry, seconds since the epoch. */
  exp: number;
}

/** Reads (without verifying) a token's claims; throws when it is not a JWT or lacks sub or exp. */
export function decodeClaims(token: string): TokenClaims {
  const claims = decodeJwt(token);
  if (typeof claims.sub !== 'string' || typeof claims.exp !== 'number')
    throw new Error('the token has no sub or exp claim');
  return { sub: claims.sub, exp: claims.exp };
}
