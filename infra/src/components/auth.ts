/** The shoppers' Cognito user pool and the storefront's public app client. */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { SHOPPER_PASSWORD_POLICY } from "@flash-sale/services/contract";
import type { MailFrom } from "../config";
import { durableOptions } from "../durable";

export interface AuthArgs {
  region: pulumi.Input<string>;
  /** Guards the pool (and so every shopper account) against `pulumi destroy` and replacement outside dev. */
  deletionProtection: boolean;
  /**
   * The platform's sender (config `mailFrom`): the pool mails sign-up codes and password resets through SES from
   * it (Cognito's own sender allows only a few mails a day), and the order mails use the same SES identity.
   */
  mailFrom?: MailFrom;
}

export class Auth extends pulumi.ComponentResource {
  readonly userPool: aws.cognito.UserPool;
  readonly client: aws.cognito.UserPoolClient;
  readonly userPoolId: pulumi.Output<string>;
  readonly userPoolClientId: pulumi.Output<string>;
  /** What the API's JWT authorizer trusts: tokens this pool signed. */
  readonly issuer: pulumi.Output<string>;
  /** The sender's SES email identity (with `mailFrom`): SES mails its address a verification link once created. */
  readonly mailIdentity: aws.sesv2.EmailIdentity | undefined;

  constructor(name: string, args: AuthArgs, opts?: pulumi.ComponentResourceOptions) {
    super("flash-sale:auth:Auth", name, {}, opts);
    this.mailIdentity = args.mailFrom
      ? new aws.sesv2.EmailIdentity(`${name}-sender`, { emailIdentity: args.mailFrom.address }, { parent: this })
      : undefined;

    this.userPool = new aws.cognito.UserPool(
      `${name}-pool`,
      {
        usernameAttributes: ["email"],
        usernameConfiguration: { caseSensitive: false },
        autoVerifiedAttributes: ["email"],
        verificationMessageTemplate: { defaultEmailOption: "CONFIRM_WITH_CODE" },
        // The same policy the storefront's forms check (and the local pool enforces at sign-up).
        passwordPolicy: { ...SHOPPER_PASSWORD_POLICY, temporaryPasswordValidityDays: 7 },
        accountRecoverySetting: { recoveryMechanisms: [{ name: "verified_email", priority: 1 }] },
        deletionProtection: args.deletionProtection ? "ACTIVE" : "INACTIVE",
        // Through SES from the configured sender (sourceArn: its verified identity) at SES's quotas, not Cognito's
        // built-in sender; without `mailFrom` (dev only: readConfig refuses it elsewhere) Cognito's default.
        ...(args.mailFrom && this.mailIdentity
          ? {
              emailConfiguration: {
                emailSendingAccount: "DEVELOPER",
                fromEmailAddress: args.mailFrom.from,
                sourceArn: this.mailIdentity.arn,
              },
            }
          : {}),
      },
      { parent: this, ...durableOptions(args.deletionProtection) },
    );

    this.client = new aws.cognito.UserPoolClient(
      `${name}-web-client`,
      {
        userPoolId: this.userPool.id,
        // A browser cannot keep a secret: the storefront signs in with SRP or USER_PASSWORD_AUTH over HTTPS.
        generateSecret: false,
        explicitAuthFlows: ["ALLOW_USER_SRP_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        supportedIdentityProviders: ["COGNITO"],
        accessTokenValidity: 1,
        idTokenValidity: 1,
        refreshTokenValidity: 30,
        tokenValidityUnits: { accessToken: "hours", idToken: "hours", refreshToken: "days" },
        // Sign-in and recovery answer the same for unknown and known emails, so accounts cannot be enumerated.
        preventUserExistenceErrors: "ENABLED",
        enableTokenRevocation: true,
      },
      { parent: this },
    );

    this.userPoolId = this.userPool.id;
    this.userPoolClientId = this.client.id;
    this.issuer = pulumi.interpolate`https://cognito-idp.${args.region}.amazonaws.com/${this.userPool.id}`;
    this.registerOutputs({ userPoolId: this.userPoolId, userPoolClientId: this.userPoolClientId, issuer: this.issuer });
  }
}
