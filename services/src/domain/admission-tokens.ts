import { createHmac, timingSafeEqual } from "node:crypto";
import type { Place } from "./admission";

/**
 * Everything the waiting room signs or draws, from ONE secret (ADMISSION_KEY: made by the Pulumi
 * program, or by the local stack) with a separate key per use, so a token of one kind never passes as
 * another. Checked in memory: no DynamoDB call, no secret store call per request.
 *
 * - draw:   a keyed hash of (sale, shopper), uniform in [0, 1): the early joiner's random place.
 * - pass:   `v1.<claims>.<mac>`, claims {sub, sku, exp}: lets this shopper buy this sku until exp.
 * - ticket: `v1.<claims>.<mac>`, claims {sub, sku, sale, place}: the shopper's place, handed back on each
 *           poll so polling needs no read (a lost ticket costs one GetItem on the shopper's own partition).
 */
export const MIN_KEY_BYTES = 32;

export interface PassClaims {
  sub: string;
  sku: string;
  /** Epoch ms after which the pass is refused. */
  exp: number;
}

export interface TicketClaims {
  sub: string;
  sku: string;
  /** The sale's opening (ISO-8601): a ticket from an earlier sale of the sku does not count. */
  sale: string;
  place: Place;
}

export type PassCheck =
  | { ok: true; claims: PassClaims }
  | {
      ok: false;
      reason: "missing" | "malformed" | "forged" | "other-shopper" | "other-product" | "expired";
      expiredAt?: number;
    };

const VERSION = "v1";

/** Reads ADMISSION_KEY (base64, at least 32 bytes); undefined when absent, an error naming the problem when too short. */
export function admissionKeyFrom(text: string | undefined): Buffer | undefined {
  if (text === undefined || text === "") return undefined;
  const key = Buffer.from(text, "base64");
  if (key.length < MIN_KEY_BYTES)
    throw new Error(`ADMISSION_KEY must be at least ${MIN_KEY_BYTES} bytes of base64, got ${key.length}`);
  return key;
}

export class AdmissionTokens {
  private readonly drawKey: Buffer;
  private readonly passKey: Buffer;
  private readonly ticketKey: Buffer;

  constructor(secret: Buffer) {
    if (secret.length < MIN_KEY_BYTES) throw new Error(`the admission key must be at least ${MIN_KEY_BYTES} bytes`);
    const derive = (use: string) => createHmac("sha256", secret).update(`flash-sale admission ${use}`).digest();
    this.drawKey = derive("draw");
    this.passKey = derive("pass");
    this.ticketKey = derive("ticket");
  }

  /** The shopper's random place among this sale's early joiners, in [0, 1): the same on every device and every join. */
  draw(sku: string, sale: string, shopper: string): number {
    const mac = createHmac("sha256", this.drawKey).update(`${sku}\n${sale}\n${shopper}`).digest();
    // 48 bits are exact in a double and far finer than any line.
    return mac.readUIntBE(0, 6) / 2 ** 48;
  }

  pass(claims: PassClaims): string {
    return seal(this.passKey, claims);
  }

  checkPass(token: string | undefined, sub: string, sku: string, now: number): PassCheck {
    if (token === undefined || token === "") return { ok: false, reason: "missing" };
    const opened = open(this.passKey, token);
    if (opened === "malformed" || opened === "forged") return { ok: false, reason: opened };
    const claims = opened as Partial<PassClaims>;
    if (typeof claims.sub !== "string" || typeof claims.sku !== "string" || typeof claims.exp !== "number")
      return { ok: false, reason: "malformed" };
    if (claims.sub !== sub) return { ok: false, reason: "other-shopper" };
    if (claims.sku !== sku) return { ok: false, reason: "other-product" };
    if (now >= claims.exp) return { ok: false, reason: "expired", expiredAt: claims.exp };
    return { ok: true, claims: claims as PassClaims };
  }

  ticket(claims: TicketClaims): string {
    return seal(this.ticketKey, claims);
  }

  /** The place a ticket holds, when the ticket is genuine and this shopper's, for this sale of this sku. */
  readTicket(token: string | undefined, sub: string, sku: string, sale: string): Place | undefined {
    if (!token) return undefined;
    const opened = open(this.ticketKey, token);
    if (typeof opened === "string") return undefined;
    const claims = opened as Partial<TicketClaims>;
    if (claims.sub !== sub || claims.sku !== sku || claims.sale !== sale || !isPlace(claims.place)) return undefined;
    return claims.place;
  }
}

function isPlace(value: unknown): value is Place {
  const place = value as Partial<Record<string, unknown>> | undefined;
  if (place?.kind === "early") return typeof place.draw === "number" && place.draw >= 0 && place.draw < 1;
  return (
    place?.kind === "late" &&
    Number.isSafeInteger(place.sequence) &&
    (place.sequence as number) >= 0 &&
    typeof place.notBefore === "number"
  );
}

function mac(key: Buffer, body: string): Buffer {
  return createHmac("sha256", key).update(`${VERSION}.${body}`).digest();
}

function seal(key: Buffer, claims: object): string {
  const body = Buffer.from(JSON.stringify(claims)).toString("base64url");
  return `${VERSION}.${body}.${mac(key, body).toString("base64url")}`;
}

/** The claims of a genuine token; "malformed" or "forged" otherwise. Never throws, whatever the input. */
function open(key: Buffer, token: string): object | "malformed" | "forged" {
  if (token.length > 2_048) return "malformed";
  const [version, body, signature, extra] = token.split(".");
  if (version !== VERSION || !body || !signature || extra !== undefined) return "malformed";
  const given = Buffer.from(signature, "base64url");
  const expected = mac(key, body);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return "forged";
  try {
    const claims: unknown = JSON.parse(Buffer.from(body, "base64url").toString("utf8"));
    return typeof claims === "object" && claims !== null ? claims : "malformed";
  } catch {
    return "malformed";
  }
}
