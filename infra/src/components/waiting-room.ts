/**
 * The waiting room's only standing resource: the secret that signs admission passes and draws each
 * sale's random order (services/src/domain/admission-tokens.ts). It is generated once by the Pulumi
 * program, kept encrypted in the stack's state, and handed to the functions that sign or check passes
 * in their environment: no per-request call to a secret store, nothing that runs or bills while idle.
 * Rotating it (`pulumi up --replace <urn>`) invalidates passes and redraws early joiners' order: never
 * during a sale.
 */
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";

/** 256 bits: HMAC-SHA256 gains nothing from a longer key. */
export const ADMISSION_KEY_BYTES = 32;

export interface WaitingRoomArgs {
  /** Key length in bytes (at least 32, the services' minimum). */
  keyBytes?: number;
}

export class WaitingRoom extends pulumi.ComponentResource {
  /** Base64 of the key, marked secret: it never appears in outputs or logs. */
  readonly admissionKey: pulumi.Output<string>;

  constructor(name: string, args: WaitingRoomArgs = {}, opts?: pulumi.ComponentResourceOptions) {
    super("flash-sale:waiting-room:WaitingRoom", name, {}, opts);
    const keyBytes = args.keyBytes ?? ADMISSION_KEY_BYTES;
    if (!Number.isInteger(keyBytes) || keyBytes < ADMISSION_KEY_BYTES)
      throw new Error(`the admission key needs at least ${ADMISSION_KEY_BYTES} bytes, got ${keyBytes}`);
    const key = new random.RandomBytes(`${name}-key`, { length: keyBytes }, { parent: this });
    this.admissionKey = pulumi.secret(key.base64);
    this.registerOutputs({});
  }
}
