import { remembering, type Claims } from "../src/access-token";

/** The inner verifier stands in for the RS256 check (proven against real tokens in api/authorizer.test.ts). */
function countingVerifier(claimsFor: (token: string) => Claims) {
  const calls: string[] = [];
  return {
    calls,
    verifier: {
      verify: async (token: string) => {
        calls.push(token);
        return claimsFor(token);
      },
    },
  };
}

const NOW = 1_800_000_000_000;

test("a token verified once is not checked again while it is valid", async () => {
  const { calls, verifier } = countingVerifier(() => ({ sub: "s1", exp: NOW / 1_000 + 60 }));
  const remembered = remembering(verifier, () => NOW);

  await remembered.verify("token-a");
  const again = await remembered.verify("token-a");

  expect(again.sub).toBe("s1");
  expect(calls).toEqual(["token-a"]);
});

test("a remembered token past its exp is checked again (and refused by the real check)", async () => {
  let now = NOW;
  const { calls, verifier } = countingVerifier((token) => {
    if (calls.length > 1) throw new Error("expired");
    return { sub: token, exp: NOW / 1_000 + 60 };
  });
  const remembered = remembering(verifier, () => now);
  await remembered.verify("token-a");

  now = NOW + 61_000;

  await expect(remembered.verify("token-a")).rejects.toThrow("expired");
  expect(calls).toEqual(["token-a", "token-a"]);
});

test("a different token (one changed character of signature) is checked in full", async () => {
  const { calls, verifier } = countingVerifier(() => ({ sub: "s1", exp: NOW / 1_000 + 60 }));
  const remembered = remembering(verifier, () => NOW);

  await remembered.verify("header.payload.signatureA");
  await remembered.verify("header.payload.signatureB");

  expect(calls).toEqual(["header.payload.signatureA", "header.payload.signatureB"]);
});

test("a refused token is never remembered", async () => {
  const { calls, verifier } = countingVerifier(() => {
    throw new Error("bad signature");
  });
  const remembered = remembering(verifier, () => NOW);

  await expect(remembered.verify("forged")).rejects.toThrow();
  await expect(remembered.verify("forged")).rejects.toThrow();

  expect(calls).toEqual(["forged", "forged"]);
});
