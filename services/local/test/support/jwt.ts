import { createPrivateKey, createSign, generateKeyPairSync, type KeyObject } from "node:crypto";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

/** cognito-local's own signing key (it ships in the package), to mint tokens it would have issued. */
export function cognitoLocalKey(): KeyObject {
  const file = join(dirname(require.resolve("cognito-local/package.json")), "lib", "keys", "cognitoLocal.private.json");
  return createPrivateKey({
    key: (JSON.parse(readFileSync(file, "utf8")) as { jwk: Record<string, string> }).jwk,
    format: "jwk",
  });
}

export function someOtherKey(): KeyObject {
  return generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
}

export function signRs256(payload: Record<string, unknown>, key: KeyObject, kid = "CognitoLocal"): string {
  const unsigned = `${b64url({ alg: "RS256", typ: "JWT", kid })}.${b64url(payload)}`;
  return `${unsigned}.${createSign("RSA-SHA256").update(unsigned).sign(key).toString("base64url")}`;
}

export function unsigned(payload: Record<string, unknown>): string {
  return `${b64url({ alg: "none", typ: "JWT" })}.${b64url(payload)}.`;
}
