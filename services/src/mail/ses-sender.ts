import { CognitoIdentityProviderClient, ListUsersCommand } from "@aws-sdk/client-cognito-identity-provider";
import { SendEmailCommand, SESv2Client } from "@aws-sdk/client-sesv2";
import { type Mail, type MailSender, UndeliverableMailError } from "../domain/mail";

export interface SesMailSettings {
  region: string;
  /** The verified SES identity mails come from ("Flash Sale <orders@example.com>"). */
  from: string;
  /** The user pool whose `email` attribute addresses a shopper (the order keeps only the `sub`). */
  userPoolId: string;
  /** Tests only: one endpoint standing in for both SES and Cognito. */
  endpoint?: string;
}

/** MAIL_FROM and USER_POOL_ID (both set by the stack), AWS_REGION. */
export function sesMailSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): SesMailSettings {
  const from = env.MAIL_FROM;
  const userPoolId = env.USER_POOL_ID;
  if (!from) throw new Error("MAIL_FROM is not set: the SES identity order mails are sent from");
  if (!userPoolId) throw new Error("USER_POOL_ID is not set: the user pool that knows shoppers' addresses");
  return { region: env.AWS_REGION ?? "us-east-1", from, userPoolId };
}

/**
 * The mail port on Amazon SES (SendEmail, simple content, plain text). The shopper's address is looked up
 * by `sub` in the user pool at send time, so a changed address is honoured and none is copied into orders.
 */
export function sesMailSender(settings: SesMailSettings): MailSender {
  const local = settings.endpoint
    ? { endpoint: settings.endpoint, credentials: { accessKeyId: "test", secretAccessKey: "test" } }
    : {};
  const ses = new SESv2Client({ region: settings.region, ...local });
  const cognito = new CognitoIdentityProviderClient({ region: settings.region, ...local });
  return {
    send: async (mail: Mail) => {
      const { Users } = await cognito.send(
        new ListUsersCommand({ UserPoolId: settings.userPoolId, Filter: `sub = "${mail.shopper}"`, Limit: 1 }),
      );
      const to = Users?.[0]?.Attributes?.find((attribute) => attribute.Name === "email")?.Value;
      if (!to) throw new UndeliverableMailError(`shopper ${mail.shopper} has no e-mail address in the user pool`);
      await ses.send(
        new SendEmailCommand({
          FromEmailAddress: settings.from,
          Destination: { ToAddresses: [to] },
          Content: {
            Simple: {
              Subject: { Data: mail.subject, Charset: "UTF-8" },
              Body: { Text: { Data: mail.text, Charset: "UTF-8" } },
            },
          },
          // SES tags the message, so its events (bounces, complaints) lead back to the order and event.
          EmailTags: [{ Name: "mail", Value: mail.id.replace(/[^A-Za-z0-9_-]/g, "_") }],
        }),
      );
    },
  };
}
