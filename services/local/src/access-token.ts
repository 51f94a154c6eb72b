import { JwtRsaVerifier } from "aws-jwt-verify";
import { SimpleJwksCache } from "aws-jwt-verify/jwk";

export type Claims = Record<string, string | number | boolean | string[]>;

export interface AccessTokenVerifier {
  /** Resolves the token's claims (their JSON types), or rejects when API Gateway's JWT authorizer would answer 401. */
  verify(token: string): Promise<Claims>;
}

/**
 * Checks a Cognito access token the way API Gateway's JWT authorizer does: RS256 signature against the
 * pool's JWKS, issuer, expiry, the app client (access tokens carry `client_id`, not `aud`) and
 * `token_use: access`. aws-jwt-verify's CognitoJwtVerifier refuses local pools and http JWKS, so the
 * generic RSA verifier gets the Cognito checks spelled out. The route's scopes are the gateway's own check, made
 * after this one as API Gateway makes it (a valid token without them is 403, not 401).
 */
export function cognitoAccessTokenVerifier(issuer: string, clientId: string): AccessTokenVerifier {
  const verifier = JwtRsaVerifier.create(
    {
      issuer,
      audience: null,
      jwksUri: `${issuer}/.well-known/jwks.json`,
      customJwtCheck: ({ payload }) => {
        if (payload.token_use !== "access") throw new Error("not an access token");
        if (payload.client_id !== clientId) throw new Error("token was issued to another client");
        // aws-jwt-verify checks exp and nbf only when present; API Gateway requires exp, and refuses
        // tokens issued in the future.
        if (typeof payload.exp !== "number") throw new Error("token has no exp");
        if (typeof payload.iat === "number" && payload.iat > Math.ceil(Date.now() / 1_000))
          throw new Error("token issued in the future");
      },
    },
    { jwksCache: new SimpleJwksCache({ fetcher: { fetch: async (uri: string) => (await fetch(uri)).arrayBuffer() } }) },
  );
  return remembering({ verify: async (token) => (await verifier.verify(token)) as unknown as Claims });
}

/** Tokens remembered at once; a sale's shoppers each send one token per hour. */
const REMEMBERED_TOKENS = 20_000;

/**
 * Remembers tokens already verified until they expire, as API Gateway's authorizer caches its results:
 * a shopper's every request after the first skips the RS256 check. Keyed by the whole token, signature
 * included, so a changed token is a different key and is checked in full; expiry is checked on every use.
 */
export function remembering(verifier: AccessTokenVerifier, now: () => number = Date.now): AccessTokenVerifier {
  const verified = new Map<string, Claims>();
  return {
    verify: async (token) => {
      const known = verified.get(token);
      if (known && typeof known.exp === "number" && known.exp * 1_000 > now()) return known;
      verified.delete(token);
      const claims = await verifier.verify(token);
      // Oldest first out: a Map iterates in insertion order.
      if (verified.size >= REMEMBERED_TOKENS) verified.delete(verified.keys().next().value as string);
      verified.set(token, claims);
      return claims;
    },
  };
}
