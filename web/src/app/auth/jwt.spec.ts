import { decodeClaims } from './jwt';

const segment = (value: unknown) =>
  btoa(JSON.stringify(value)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
const token = (claims: Record<string, unknown>) => `${segment({ alg: 'RS256' })}.${segment(claims)}.signature`;

describe('decodeClaims', () => {
  it('reads sub and exp from the payload', () => {
    expect(decodeClaims(token({ sub: 'user-1', exp: 1_900_000_000, scope: 'x' }))).toEqual({
      sub: 'user-1',
      exp: 1_900_000_000,
    });
  });

  it('refuses a token without sub or exp', () => {
    expect(() => decodeClaims(token({ exp: 1_900_000_000 }))).toThrow('the token has no sub or exp claim');
    expect(() => decodeClaims(token({ sub: 'user-1' }))).toThrow('the token has no sub or exp claim');
  });

  it('refuses something that is not a JWT', () => {
    expect(() => decodeClaims('not-a-token')).toThrow();
  });
});
